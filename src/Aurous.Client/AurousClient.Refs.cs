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

    /// <summary>The largest ref image shown from memory (Show-AurousCharacter); larger ones are refused unread.</summary>
    public const int MaxRefImageBytes = 10 * 1024 * 1024;

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

    /// <summary>
    /// Downloads the latest ref of every pose of <paramref name="characters"/> into memory, to show them,
    /// <see cref="MaxParallelDownloads"/> at a time, and reports each as it completes (from a pool thread). Refs are
    /// refused, each with its own error, past <see cref="MaxRefImageBytes"/> or, for a PNG, past
    /// <see cref="PngDecoder.MaxDimension"/> pixels a side by its header, before anything decodes them. An expired URL
    /// is renewed once, as for saved files. Only cancellation is thrown.
    /// </summary>
    public async Task LoadRefImagesAsync(IEnumerable<Character> characters, Action<RefImage> report, CancellationToken ct = default)
    {
        if (characters is null || report is null)
        {
            throw new ArgumentNullException(characters is null ? nameof(characters) : nameof(report));
        }

        var rereads = new ConcurrentDictionary<string, Lazy<Task<Character>>>(StringComparer.Ordinal);
        using var slots = new SemaphoreSlim(MaxParallelDownloads);
        var refs = characters.SelectMany(c => RefFiles.LatestRefs(c).Select(r => (Character: c, Ref: r))).ToList();
        await Task.WhenAll(refs.Select(async item =>
        {
            await slots.WaitAsync(ct).ConfigureAwait(false);
            try
            {
                report(await LoadRefImageAsync(item.Character, item.Ref, rereads, ct).ConfigureAwait(false));
            }
            finally
            {
                slots.Release();
            }
        })).ConfigureAwait(false);
    }

    private async Task<RefImage> LoadRefImageAsync(Character character, CharacterRef reference, ConcurrentDictionary<string, Lazy<Task<Character>>> rereads, CancellationToken ct)
    {
        var pose = RefFiles.PoseOf(reference);
        var description = RefFiles.Describe(character, pose);
        try
        {
            using var memory = new MemoryStream();
            var download = await WithFreshUrlAsync(character, pose, reference.Url, rereads, async url =>
            {
                memory.SetLength(0);
                return await DownloadAsync(url, description, memory, ct, MaxRefImageBytes).ConfigureAwait(false);
            }, ct).ConfigureAwait(false);
            if (download.Length > MaxRefImageBytes)
            {
                throw RefFiles.Refused(character, pose, $"is larger than the {MaxRefImageBytes / (1024 * 1024)} MB this module shows ({(download.Length > MaxRefImageBytes + 1 ? $"{download.Length} bytes" : "its download ran past that")}); save it with Save-AurousCharacterRef and open it with an image viewer", AurousErrors.RefImageTooLarge);
            }

            var bytes = memory.ToArray();
            PngSize? size = null;
            if (PngDecoder.IsPng(bytes))
            {
                try
                {
                    size = PngDecoder.ReadSize(bytes);
                }
                catch (InvalidDataException e)
                {
                    throw RefFiles.Refused(character, pose, $"cannot be shown: it is {e.Message}", AurousErrors.RefImageUnreadable);
                }

                if (size.Value.Width > PngDecoder.MaxDimension || size.Value.Height > PngDecoder.MaxDimension)
                {
                    throw RefFiles.Refused(character, pose, $"is {size.Value.Width}×{size.Value.Height} pixels, larger than the {PngDecoder.MaxDimension}×{PngDecoder.MaxDimension} this module shows; save it with Save-AurousCharacterRef and open it with an image viewer", AurousErrors.RefImageTooLarge);
                }
            }

            return new RefImage(character, pose, download.MediaType, bytes, size, null);
        }
        catch (AurousException e)
        {
            return new RefImage(character, pose, null, null, null, e);
        }
    }

    private async Task<RefFileResult> SaveRefFileAsync(RefFile file, bool overwrite, ConcurrentDictionary<string, Lazy<Task<Character>>> rereads, CancellationToken ct)
    {
        try
        {
            return await WithFreshUrlAsync(file.Character, file.Pose, file.Ref.Url, rereads, url => WriteRefFileAsync(file, url, overwrite, ct), ct).ConfigureAwait(false);
        }
        catch (AurousException e)
        {
            return new RefFileResult(file, null, false, 0, e);
        }
    }

    /// <summary>
    /// Runs <paramref name="fetch"/> on the ref's URL; when that URL is refused (403, 404, 410: storage hosts do not all
    /// say "expired" the same way), reads the character again, once however many of its refs need it, and tries the
    /// fresh URL once.
    /// </summary>
    private async Task<T> WithFreshUrlAsync<T>(Character character, CharacterPose pose, string url, ConcurrentDictionary<string, Lazy<Task<Character>>> rereads, Func<string, Task<T>> fetch, CancellationToken ct)
    {
        string description = RefFiles.Describe(character, pose);
        try
        {
            return await fetch(url).ConfigureAwait(false);
        }
        catch (AurousApiException e) when (e.StatusCode is 403 or 404 or 410)
        {
            Log(AurousLogLevel.Verbose, $"Could not download {description} ({e.StatusCode} {e.Code ?? e.ErrorId}); reading the character again for fresh ref URLs.");
            var fresh = await ReadAgainAsync(character, description, rereads, ct).ConfigureAwait(false);
            var freshUrl = fresh.Refs.LastOrDefault(r => RefFiles.PoseOf(r) == pose)?.Url
                ?? throw new AurousException($"{description} is gone: the character, read again, has no {TolerantEnumConverter<CharacterPose>.ToWire(pose)} ref any more.", AurousErrors.RefNotFound);
            return await fetch(freshUrl).ConfigureAwait(false);
        }
    }

    /// <summary>One read per character, shared by all of its refs that need fresh URLs.</summary>
    private async Task<Character> ReadAgainAsync(Character character, string description, ConcurrentDictionary<string, Lazy<Task<Character>>> rereads, CancellationToken ct)
    {
        try
        {
            return await rereads.GetOrAdd(character.Id, id => new Lazy<Task<Character>>(() => GetCharacterAsync(id, ct))).Value.ConfigureAwait(false);
        }
        catch (AurousApiException e)
        {
            throw AurousApiErrors.About(e, $"Could not read {character} again for a fresh URL of {description}");
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

    private async Task<RefDownload> DownloadAsync(string url, string subject, Stream destination, CancellationToken ct, long? maxBytes = null)
    {
        var current = RefUri(url, subject);
        for (var redirect = 0; ; redirect++)
        {
            var context = new AurousRequestContext(Options, _bucketScope, null, null, safeToRepeat: true, _userAgent) { IsDownload = true, MaxBodyBytes = maxBytes };
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
                if (response.Content.Headers.ContentLength > maxBytes)
                {
                    // Left unread (or read to one byte past the limit): the caller refuses it by its length.
                    return new RefDownload(mediaType, extension, response.Content.Headers.ContentLength.Value);
                }

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
