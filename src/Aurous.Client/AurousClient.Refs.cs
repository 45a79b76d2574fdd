using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Net.Http;
using System.Threading;
using System.Threading.Tasks;
using Aurous.Client.Http;
using Aurous.Client.Serialization;

namespace Aurous.Client;

public sealed partial class AurousClient
{
    /// <summary>Ref files downloaded at once: enough to hide latency, few enough not to look like abuse to a storage host.</summary>
    public const int MaxParallelDownloads = 4;

    private const int MaxRedirects = 5;

    /// <summary>
    /// Downloads one ref image into <paramref name="destination"/>. The API key is never sent: the URL carries its own
    /// token and may point at another host. Transport failures, 429 and 5xx are retried; redirects are followed
    /// (nothing secret goes with them); the URL's query is never logged.
    /// </summary>
    /// <exception cref="AurousApiException">RefUrlExpired (403 url_expired), PermissionDenied, InvalidResponse (not an image), ….</exception>
    public Task<RefDownload> DownloadRefAsync(CharacterRef reference, Stream destination, CancellationToken ct = default)
    {
        if (reference is null)
        {
            throw new ArgumentNullException(nameof(reference));
        }

        return DownloadAsync(reference.Url, $"the {TolerantEnumConverter<CharacterPose>.ToWire(RefFiles.PoseOf(reference))} ref", destination ?? throw new ArgumentNullException(nameof(destination)), ct);
    }

    /// <summary>
    /// Saves each file, <see cref="MaxParallelDownloads"/> at a time, and reports each result as it completes (from a
    /// pool thread). A file is written under a temporary name and renamed into place, so a failed download leaves
    /// nothing behind. When a ref URL has expired (or is refused), the character is read again, once however many of
    /// its files need it, and the fresh URL is tried once. Without <paramref name="overwrite"/> an existing file is
    /// never replaced. Only cancellation is thrown; every other failure is a result's <see cref="RefFileResult.Error"/>.
    /// </summary>
    public async Task SaveRefFilesAsync(IEnumerable<RefFile> files, bool overwrite, Action<RefFileResult> report, CancellationToken ct = default)
    {
        if (files is null || report is null)
        {
            throw new ArgumentNullException(files is null ? nameof(files) : nameof(report));
        }

        var rereads = new ConcurrentDictionary<string, Lazy<Task<Character>>>(StringComparer.Ordinal);
        using var slots = new SemaphoreSlim(MaxParallelDownloads);
        await Task.WhenAll(files.ToList().Select(async file =>
        {
            await slots.WaitAsync(ct).ConfigureAwait(false);
            try
            {
                report(await SaveRefFileAsync(file, overwrite, rereads, ct).ConfigureAwait(false));
            }
            finally
            {
                slots.Release();
            }
        })).ConfigureAwait(false);
    }

    private async Task<RefFileResult> SaveRefFileAsync(RefFile file, bool overwrite, ConcurrentDictionary<string, Lazy<Task<Character>>> rereads, CancellationToken ct)
    {
        try
        {
            try
            {
                return await WriteRefFileAsync(file, file.Ref.Url, overwrite, ct).ConfigureAwait(false);
            }
            catch (AurousApiException e) when (e.StatusCode is 403 or 404 or 410)
            {
                Log(AurousLogLevel.Verbose, $"Could not download {file.Description} ({e.StatusCode} {e.Code ?? e.ErrorId}); reading the character again for fresh ref URLs.");
                var fresh = await ReadAgainAsync(file, rereads, ct).ConfigureAwait(false);
                var url = fresh.Refs.LastOrDefault(r => RefFiles.PoseOf(r) == file.Pose)?.Url
                    ?? throw new AurousException($"{file.Description} is gone: the character, read again, has no {TolerantEnumConverter<CharacterPose>.ToWire(file.Pose)} ref any more.", AurousErrors.RefNotFound);
                return await WriteRefFileAsync(file, url, overwrite, ct).ConfigureAwait(false);
            }
        }
        catch (AurousException e)
        {
            return new RefFileResult(file, null, false, 0, e);
        }
    }

    /// <summary>One read per character, shared by all of its files that need fresh URLs.</summary>
    private async Task<Character> ReadAgainAsync(RefFile file, ConcurrentDictionary<string, Lazy<Task<Character>>> rereads, CancellationToken ct)
    {
        try
        {
            return await rereads.GetOrAdd(file.CharacterId, id => new Lazy<Task<Character>>(() => GetCharacterAsync(id, ct))).Value.ConfigureAwait(false);
        }
        catch (AurousApiException e)
        {
            throw AurousApiErrors.About(e, $"Could not read {file.Character} again for a fresh URL of {file.Description}");
        }
    }

    private async Task<RefFileResult> WriteRefFileAsync(RefFile file, string url, bool overwrite, CancellationToken ct)
    {
        var temporary = Path.Combine(file.Directory, $".{file.BaseName}.{Guid.NewGuid():N}.part");
        string? target = null;
        try
        {
            Directory.CreateDirectory(file.Directory);
            RefDownload download;
            using (var output = new FileStream(temporary, FileMode.CreateNew, FileAccess.Write, FileShare.None))
            {
                download = await DownloadAsync(url, file.Description, output, ct).ConfigureAwait(false);
            }

            target = Path.Combine(file.Directory, file.BaseName + download.Extension);
            if (overwrite && File.Exists(target))
            {
                File.Replace(temporary, target, null);
            }
            else
            {
                // Move never replaces: without -Force a file that appeared meanwhile is kept.
                File.Move(temporary, target);
            }

            return new RefFileResult(file, target, false, download.Length, null);
        }
        catch (IOException) when (!overwrite && target is not null && File.Exists(target))
        {
            return new RefFileResult(file, target, true, 0, null);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or NotSupportedException or System.Security.SecurityException)
        {
            var where = target ?? Path.Combine(file.Directory, file.BaseName);
            throw new AurousException($"Could not write {where} for {file.Description}: {e.Message} Check that the folder exists and can be written, and that the disk has room.", AurousErrors.RefFileWriteFailed);
        }
        finally
        {
            DeleteQuietly(temporary);
        }
    }

    private async Task<RefDownload> DownloadAsync(string url, string subject, Stream destination, CancellationToken ct)
    {
        var current = RefUri(url, subject);
        for (var redirect = 0; ; redirect++)
        {
            var context = new AurousRequestContext(Options, _bucketScope, null, null, safeToRepeat: true, _userAgent) { IsDownload = true };
            var display = LoggingHandler.Describe(current, isDownload: true);
            HttpResponseMessage response;
            try
            {
                response = await SendCoreAsync(new HttpRequestMessage(HttpMethod.Get, current), context, display, ct, redirects: true).ConfigureAwait(false);
            }
            catch (AurousApiException e)
            {
                throw AurousApiErrors.About(e, $"Could not download {subject}");
            }

            using (response)
            {
                if ((int)response.StatusCode >= 300)
                {
                    var location = response.Headers.Location;
                    if (location is null || redirect >= MaxRedirects)
                    {
                        throw AurousApiErrors.InvalidResponse(response, $"downloading {subject} from {display} was redirected {(location is null ? "without a Location" : $"more than {MaxRedirects} times")}", Options);
                    }

                    current = RefUri(new Uri(current, location).AbsoluteUri, subject);
                    continue;
                }

                var mediaType = response.Content.Headers.ContentType?.MediaType;
                var extension = RefFiles.ExtensionFor(mediaType)
                    ?? throw AurousApiErrors.InvalidResponse(response, $"{display} answered {mediaType}, not an image, for {subject}; the URL may lead to a login or error page", Options);
                await response.Content.CopyToAsync(destination).ConfigureAwait(false);
                return new RefDownload(mediaType, extension, response.Content.Headers.ContentLength ?? 0);
            }
        }
    }

    // A leftover hidden .part file is harmless; the error that got us here is the one to report.
    private static void DeleteQuietly(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
        }
    }

    private static Uri RefUri(string? url, string subject) =>
        Uri.TryCreate(url, UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttps || uri.Scheme == Uri.UriSchemeHttp)
            ? uri
            : throw new AurousException($"The URL of {subject} is not an http(s) URL; read the character again for fresh refs.", AurousErrors.InvalidResponse);
}
