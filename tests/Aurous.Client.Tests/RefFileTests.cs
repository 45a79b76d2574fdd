using System.Collections.Concurrent;
using Aurous.Emulator;
using Microsoft.AspNetCore.Http;

namespace Aurous.Client.Tests;

/// <summary>Saving ref images to files: names, atomic writes, expired URLs, retries, and what never leaves the client.</summary>
public sealed class RefFileTests : IDisposable
{
    private static readonly byte[] PngSignature = { 0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A };

    private readonly string _directory = Path.Combine(Path.GetTempPath(), "aurous-refs-" + Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        if (Directory.Exists(_directory))
        {
            Directory.Delete(_directory, recursive: true);
        }
    }

    private static async Task<List<RefFileResult>> SaveAsync(AurousClient client, IEnumerable<RefFile> files, bool overwrite = false)
    {
        var results = new ConcurrentQueue<RefFileResult>();
        await client.SaveRefFilesAsync(files, overwrite, results.Enqueue);
        return results.ToList();
    }

    private static Character Stubbed(StorageStub stub, string path = "img/front.bin?token=secret-token-123") => new()
    {
        Id = "char_01HXMQ7Z3K8Y2NABCDEFGHJKMR",
        Name = "Stubbed",
        Status = "Reviewing",
        Refs = new[] { new CharacterRef { Pose = "Front", Url = stub.BaseUri + path } },
    };

    private string[] FilesOnDisk() =>
        Directory.Exists(_directory) ? Directory.GetFiles(_directory).Select(f => Path.GetFileName(f)).OrderBy(n => n, StringComparer.Ordinal).ToArray() : Array.Empty<string>();

    [Fact]
    public async Task Every_ref_of_a_character_becomes_id_dash_pose_dot_png()
    {
        await using var emulator = await TestEmulator.StartAsync();
        using var client = emulator.Client();
        var character = await client.GetCharacterAsync((await client.CreateCharacterAsync(new CharacterCreate { Name = "Aurora" })).Id);

        var plan = RefFiles.Plan(character, null, _directory);
        var results = await SaveAsync(client, plan.Files);

        Assert.Empty(plan.Missing);
        Assert.Equal(new[] { "back", "front", "portrait", "side" }.Select(p => $"{character.Id}-{p}.png"), FilesOnDisk());
        Assert.All(results, r => Assert.Null(r.Error));
        Assert.All(results, r => Assert.Equal(PngSignature, File.ReadAllBytes(r.Path!).Take(8)));
        Assert.All(results, r => Assert.Equal(new FileInfo(r.Path!).Length, r.Length));
        Assert.DoesNotContain(emulator.Log, e => e.Message.Contains("token=") && !e.Message.Contains("token=***"));
        Assert.Contains(emulator.Lines(AurousLogLevel.Verbose), l => l.StartsWith($"GET {emulator.Server.BaseUri}storage/{character.Id}/front-", StringComparison.Ordinal) && l.Contains(".png?*** -> 200"));
    }

    [Fact]
    public async Task Only_the_poses_asked_for_are_planned_and_a_missing_one_is_a_RefNotFound()
    {
        await using var emulator = await TestEmulator.StartAsync(o => o.SynthesisSeconds = 3600);
        using var client = emulator.Client();
        var synthesizing = await client.CreateCharacterAsync(new CharacterCreate { Name = "Fresh" });
        await emulator.FinishAsync(synthesizing.Id, "reviewing");
        var reviewing = await client.GetCharacterAsync(synthesizing.Id);

        var plan = RefFiles.Plan(reviewing, new[] { CharacterPose.Side, CharacterPose.Other, CharacterPose.Portrait }, _directory);
        var none = RefFiles.Plan(synthesizing, null, _directory);

        Assert.Equal(new[] { CharacterPose.Portrait, CharacterPose.Side }, plan.Files.Select(f => f.Pose));
        var missing = Assert.Single(plan.Missing);
        Assert.Equal(AurousErrors.RefNotFound, missing.ErrorId);
        Assert.Contains($"{reviewing.Id} (Fresh) has no other ref; it has portrait, front, side, back", missing.Message);
        Assert.Contains("no refs yet (it is synthesizing)", Assert.Single(none.Missing).Message);
        Assert.Empty(none.Files);
    }

    [Fact]
    public async Task An_existing_file_of_any_extension_is_found_and_a_file_appearing_meanwhile_is_kept()
    {
        await using var emulator = await TestEmulator.StartAsync();
        using var client = emulator.Client();
        var character = await client.GetCharacterAsync((await client.CreateCharacterAsync(new CharacterCreate { Name = "Kept" })).Id);
        Directory.CreateDirectory(_directory);
        File.WriteAllText(Path.Combine(_directory, $"{character.Id}-front.jpg"), "mine");

        var plan = RefFiles.Plan(character, new[] { CharacterPose.Front, CharacterPose.Side }, _directory);
        File.WriteAllText(Path.Combine(_directory, $"{character.Id}-side.png"), "appeared");
        var results = await SaveAsync(client, plan.Files.Where(f => f.ExistingPath is null));

        Assert.Equal(Path.Combine(_directory, $"{character.Id}-front.jpg"), plan.Files[0].ExistingPath);
        var side = Assert.Single(results);
        Assert.True(side.Skipped);
        Assert.Null(side.Error);
        Assert.Equal("appeared", File.ReadAllText(Path.Combine(_directory, $"{character.Id}-side.png")));
        Assert.Equal(new[] { $"{character.Id}-front.jpg", $"{character.Id}-side.png" }, FilesOnDisk());
    }

    [Fact]
    public async Task Overwrite_replaces_the_file_in_place()
    {
        await using var emulator = await TestEmulator.StartAsync();
        using var client = emulator.Client();
        var character = await client.GetCharacterAsync((await client.CreateCharacterAsync(new CharacterCreate { Name = "Replaced" })).Id);
        Directory.CreateDirectory(_directory);
        var path = Path.Combine(_directory, $"{character.Id}-back.png");
        File.WriteAllText(path, "old");

        var result = Assert.Single(await SaveAsync(client, RefFiles.Plan(character, new[] { CharacterPose.Back }, _directory).Files, overwrite: true));

        Assert.Equal(path, result.Path);
        Assert.False(result.Skipped);
        Assert.Equal(PngSignature, File.ReadAllBytes(path).Take(8));
        Assert.Single(FilesOnDisk());
    }

    [Fact]
    public async Task Expired_URLs_are_refreshed_by_reading_the_character_again_once()
    {
        await using var emulator = await TestEmulator.StartAsync();
        using var client = emulator.Client();
        var stale = await client.GetCharacterAsync((await client.CreateCharacterAsync(new CharacterCreate { Name = "Stale" })).Id);
        emulator.Server.Clock.Advance(TimeSpan.FromHours(25));

        var results = await SaveAsync(client, RefFiles.Plan(stale, null, _directory).Files);

        Assert.All(results, r => Assert.Null(r.Error));
        Assert.Equal(4, FilesOnDisk().Length);
        var lines = emulator.Lines(AurousLogLevel.Verbose).ToList();
        Assert.Equal(2, lines.Count(l => l.StartsWith($"GET /v1/characters/{stale.Id} -> 200", StringComparison.Ordinal)));
        Assert.Equal(4, lines.Count(l => l.Contains("(403 url_expired); reading the character again")));
    }

    [Fact]
    public async Task A_character_deleted_meanwhile_is_an_error_naming_it_and_leaves_no_file()
    {
        await using var emulator = await TestEmulator.StartAsync();
        using var client = emulator.Client();
        var character = await client.GetCharacterAsync((await client.CreateCharacterAsync(new CharacterCreate { Name = "Doomed" })).Id);
        await client.DeleteCharacterAsync(character.Id);

        var result = Assert.Single(await SaveAsync(client, RefFiles.Plan(character, new[] { CharacterPose.Front }, _directory).Files));

        Assert.Equal(AurousErrors.CharacterNotFound, result.Error!.ErrorId);
        Assert.StartsWith($"Could not read {character.Id} (Doomed) again for a fresh URL of the front ref of {character.Id} (Doomed)", result.Error.Message);
        Assert.Empty(FilesOnDisk());
    }

    [Fact]
    public async Task A_download_to_another_host_carries_no_key_and_its_token_is_never_logged()
    {
        await using var emulator = await TestEmulator.StartAsync();
        await using var stub = await StorageStub.StartAsync((context, _) => StorageStub.ServePng(context));
        using var client = emulator.Client();

        var result = Assert.Single(await SaveAsync(client, RefFiles.Plan(Stubbed(stub), null, _directory).Files));

        var (target, headers) = Assert.Single(stub.Requests);
        Assert.Equal("/img/front.bin?token=secret-token-123", target);
        Assert.False(headers.ContainsKey("X-Api-Key"));
        Assert.False(headers.ContainsKey("Aurous-Version"));
        Assert.False(headers.ContainsKey("Idempotency-Key"));
        Assert.StartsWith("Aurous.PowerShell/", headers["User-Agent"]);
        Assert.EndsWith("-front.png", result.Path);
        Assert.Equal(StorageStub.Png, File.ReadAllBytes(result.Path!));
        Assert.DoesNotContain(emulator.Log, e => e.Message.Contains("secret-token-123"));
        Assert.Contains(emulator.Lines(AurousLogLevel.Verbose), l => l.StartsWith($"GET {stub.BaseUri}img/front.bin?*** -> 200 (no request id) attempt 1 in ", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Server_errors_and_a_connection_dropped_mid_body_are_retried()
    {
        await using var emulator = await TestEmulator.StartAsync();
        await using var stub = await StorageStub.StartAsync(async (context, count) =>
        {
            switch (count)
            {
                case 0:
                    context.Response.StatusCode = 503;
                    return;
                case 1:
                    context.Response.ContentType = "image/png";
                    context.Response.ContentLength = StorageStub.Png.Length;
                    await context.Response.Body.WriteAsync(StorageStub.Png.AsMemory(0, 10));
                    await context.Response.Body.FlushAsync();
                    context.Abort();
                    return;
                default:
                    await StorageStub.ServePng(context);
                    return;
            }
        });
        using var client = emulator.Client();

        var result = Assert.Single(await SaveAsync(client, RefFiles.Plan(Stubbed(stub), null, _directory).Files));

        Assert.Null(result.Error);
        Assert.Equal(3, stub.Requests.Count);
        Assert.Equal(StorageStub.Png, File.ReadAllBytes(result.Path!));
        Assert.Single(FilesOnDisk());
    }

    [Fact]
    public async Task A_download_that_keeps_failing_leaves_no_partial_file()
    {
        await using var emulator = await TestEmulator.StartAsync();
        await using var stub = await StorageStub.StartAsync(async (context, _) =>
        {
            context.Response.ContentType = "image/png";
            context.Response.ContentLength = 1000;
            await context.Response.Body.WriteAsync(StorageStub.Png);
            await context.Response.Body.FlushAsync();
            context.Abort();
        });
        using var client = emulator.Client(o => o.Retry.MaxAttempts = 2);

        var result = Assert.Single(await SaveAsync(client, RefFiles.Plan(Stubbed(stub), null, _directory).Files));

        Assert.Equal(AurousErrors.ConnectionFailed, result.Error!.ErrorId);
        Assert.StartsWith($"Could not download the front ref of char_01HXMQ7Z3K8Y2NABCDEFGHJKMR (Stubbed): Could not reach {stub.BaseUri.GetLeftPart(UriPartial.Authority)} (GET /img/front.bin?***, 2 attempts): ", result.Error.Message);
        Assert.DoesNotContain("secret-token-123", result.Error.Message);
        Assert.Equal(2, stub.Requests.Count);
        Assert.Empty(FilesOnDisk());
    }

    [Fact]
    public async Task A_page_that_is_not_an_image_is_refused_and_redirects_are_followed()
    {
        await using var emulator = await TestEmulator.StartAsync();
        await using var stub = await StorageStub.StartAsync((context, _) =>
        {
            switch (context.Request.Path.Value)
            {
                case "/moved":
                    context.Response.Redirect("/img/front.bin?token=second-token");
                    return Task.CompletedTask;
                case "/login":
                    context.Response.ContentType = "text/html";
                    return context.Response.WriteAsync("<html>sign in</html>");
                default:
                    return StorageStub.ServePng(context);
            }
        });
        using var client = emulator.Client();

        var moved = Assert.Single(await SaveAsync(client, RefFiles.Plan(Stubbed(stub, "moved?token=first-token"), null, _directory).Files));
        File.Delete(moved.Path!);
        var login = Assert.Single(await SaveAsync(client, RefFiles.Plan(Stubbed(stub, "login?token=t"), null, _directory).Files));

        Assert.Null(moved.Error);
        Assert.Equal(new[] { "/moved?token=first-token", "/img/front.bin?token=second-token", "/login?token=t" }, stub.Requests.Select(r => r.Target));
        Assert.Equal(AurousErrors.InvalidResponse, login.Error!.ErrorId);
        Assert.Contains("answered text/html, not an image", login.Error.Message);
        Assert.Empty(FilesOnDisk());
        Assert.DoesNotContain(emulator.Log, e => e.Message.Contains("first-token") || e.Message.Contains("second-token"));
    }

    [Fact]
    public async Task A_folder_that_cannot_be_written_is_a_RefFileWriteFailed_naming_it()
    {
        await using var emulator = await TestEmulator.StartAsync();
        await using var stub = await StorageStub.StartAsync((context, _) => StorageStub.ServePng(context));
        using var client = emulator.Client();
        Directory.CreateDirectory(_directory);
        var blocked = Path.Combine(_directory, "not-a-folder");
        File.WriteAllText(blocked, "a file where the folder should be");

        var result = Assert.Single(await SaveAsync(client, RefFiles.Plan(Stubbed(stub), null, blocked).Files));

        Assert.Equal(AurousErrors.RefFileWriteFailed, result.Error!.ErrorId);
        Assert.Equal(AurousErrorCategory.WriteError, result.Error.Category);
        Assert.Contains(blocked, result.Error.Message);
    }

    [Theory]
    [InlineData("image/png", ".png")]
    [InlineData("IMAGE/JPEG", ".jpg")]
    [InlineData("image/webp", ".webp")]
    [InlineData("image/x-icon", ".bin")]
    [InlineData("image/jxl", ".jxl")]
    [InlineData("application/octet-stream", ".bin")]
    [InlineData(null, ".bin")]
    [InlineData("text/html", null)]
    [InlineData("application/json", null)]
    public void The_extension_comes_from_the_content_type(string? mediaType, string? extension)
    {
        Assert.Equal(extension, RefFiles.ExtensionFor(mediaType));
    }
}
