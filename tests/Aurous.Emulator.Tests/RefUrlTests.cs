using System.Buffers.Binary;
using System.IO.Compression;
using System.Net;
using System.Text;

namespace Aurous.Emulator.Tests;

public sealed class RefUrlTests
{
    [Fact]
    public async Task Each_ref_url_serves_a_valid_png_and_poses_differ()
    {
        await using var h = await Harness.StartAsync();
        var id = await h.CreateReviewingAsync();
        var refs = (await h.GetAsync(id)).Json.GetProperty("refs").EnumerateArray().Select(r => r.GetProperty("url").GetString()!).ToList();
        Assert.Equal(4, refs.Count);

        var images = new List<byte[]>();
        foreach (var url in refs)
        {
            Assert.StartsWith(h.Server.BaseUri.ToString(), url);
            using var response = await h.Http.GetAsync(url);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Equal("image/png", response.Content.Headers.ContentType?.MediaType);
            var bytes = await response.Content.ReadAsByteArrayAsync();
            AssertValidPng(bytes);
            images.Add(bytes);
        }

        Assert.Equal(images.Count, images.Select(Convert.ToBase64String).Distinct().Count());
    }

    [Fact]
    public async Task A_regenerated_pose_is_a_new_picture_and_the_other_poses_stay_the_same()
    {
        await using var h = await Harness.StartAsync();
        var id = await h.CreateReviewingAsync();
        var before = await DownloadAllAsync(h, id);

        (await h.RegenerateAsync(id, "side")).AssertStatus(HttpStatusCode.OK);
        await h.FinishAsync(id, "reviewing");
        var after = await DownloadAllAsync(h, id);

        Assert.NotEqual(before["side"], after["side"]);
        foreach (var pose in new[] { "portrait", "front", "back" })
        {
            Assert.Equal(before[pose], after[pose]);
        }

        // Not only other bytes: a visibly different picture (the generation badge and the background move).
        var changed = Pixels(before["side"]).Zip(Pixels(after["side"])).Count(p => p.First != p.Second);
        Assert.True(changed > 512 * 512 / 10, $"only {changed} pixels differ");
    }

    [Fact]
    public void A_picture_depends_only_on_the_name_attributes_pose_and_generation()
    {
        var attributes = new CharacterAttributes("female", 28, null, "black", "long", "green", "athletic", null);
        var png = RefPicture.Png("Aurora", attributes, "front", 3);

        Assert.Equal(png, PngImage.Encode(RefPicture.Draw("Aurora", attributes with { }, "front", 3)));
        Assert.NotEqual(png, RefPicture.Png("Aurora", attributes, "front", 4));
        Assert.NotEqual(png, RefPicture.Png("Aurora", attributes, "back", 3));
        Assert.NotEqual(png, RefPicture.Png("Aurora", attributes with { HairColor = "red" }, "front", 3));
        Assert.NotEqual(png, RefPicture.Png("Nova", attributes, "front", 3));
        AssertValidPng(png);
        Assert.InRange(png.Length, 1000, 16 * 1024);
    }

    [Theory]
    [InlineData("black", 30, 28, 32)]
    [InlineData("Dark Brown", 71, 45, 26)]
    [InlineData("strawberry blonde", 225, 140, 100)]
    [InlineData("ice blue", 60, 110, 210)]
    public void Colour_words_give_their_colour(string text, byte r, byte g, byte b) =>
        Assert.Equal(((byte, byte, byte)?)(r, g, b), ColourWords.Find(text));

    [Fact]
    public void Unknown_colour_words_give_a_colour_of_their_own_and_none_gives_null()
    {
        Assert.Equal(ColourWords.Find("mauve-ish"), ColourWords.Find("Mauve-ish"));
        Assert.NotEqual(ColourWords.Find("mauve-ish"), ColourWords.Find("periwinkle"));
        Assert.Null(ColourWords.Find("  "));
    }

    [Fact]
    public async Task A_url_expires_after_its_lifetime_on_the_emulator_clock_and_a_fresh_get_renews_it()
    {
        await using var h = await Harness.StartAsync(o => o.RefUrlLifetime = TimeSpan.FromMinutes(10));
        var id = await h.CreateReviewingAsync();
        var url = (await h.GetAsync(id)).Json.GetProperty("refs")[0].GetProperty("url").GetString()!;

        // 10 s short of the lifetime: the emulator's clock also runs in real time, and a loaded machine takes seconds.
        await h.AdvanceAsync(590);
        Assert.Equal(HttpStatusCode.OK, (await h.Http.GetAsync(url)).StatusCode);
        await h.AdvanceAsync(11);
        var expired = await h.SendAsync(HttpMethod.Get, url, apiKey: null);
        expired.AssertError(HttpStatusCode.Forbidden, "url_expired");

        var fresh = (await h.GetAsync(id)).Json.GetProperty("refs")[0].GetProperty("url").GetString()!;
        Assert.Equal(HttpStatusCode.OK, (await h.Http.GetAsync(fresh)).StatusCode);
    }

    [Fact]
    public async Task The_default_lifetime_is_24_hours()
    {
        await using var h = await Harness.StartAsync();
        var id = await h.CreateReviewingAsync();
        var url = (await h.GetAsync(id)).Json.GetProperty("refs")[0].GetProperty("url").GetString()!;
        await h.AdvanceAsync(TimeSpan.FromHours(23.9).TotalSeconds);
        Assert.Equal(HttpStatusCode.OK, (await h.Http.GetAsync(url)).StatusCode);
        await h.AdvanceAsync(TimeSpan.FromHours(0.2).TotalSeconds);
        Assert.Equal(HttpStatusCode.Forbidden, (await h.Http.GetAsync(url)).StatusCode);
    }

    [Fact]
    public async Task Forged_or_moved_tokens_are_refused()
    {
        await using var h = await Harness.StartAsync();
        var id = await h.CreateReviewingAsync();
        var refs = (await h.GetAsync(id)).Json.GetProperty("refs");
        var front = refs[1].GetProperty("url").GetString()!;
        var side = refs[2].GetProperty("url").GetString()!;
        var token = front[(front.IndexOf("token=", StringComparison.Ordinal) + 6)..];
        var expires = long.Parse(token[..token.IndexOf('.')]);

        string[] forged =
        [
            front[..front.IndexOf('?')],
            front.Replace(token, "garbage"),
            front.Replace(token, $"{expires + 3600}{token[token.IndexOf('.')..]}"),
            side[..side.IndexOf('?')] + "?token=" + token,
        ];
        foreach (var url in forged)
        {
            var response = await h.SendAsync(HttpMethod.Get, url, apiKey: null);
            Assert.Equal(HttpStatusCode.Forbidden, response.Status);
            Assert.Equal("invalid_url_token", response.ErrorCode);
        }
    }

    [Fact]
    public async Task A_deleted_characters_images_are_gone()
    {
        await using var h = await Harness.StartAsync();
        var id = await h.CreateReviewingAsync();
        var url = (await h.GetAsync(id)).Json.GetProperty("refs")[0].GetProperty("url").GetString()!;
        await h.DeleteAsync(id);
        (await h.SendAsync(HttpMethod.Get, url, apiKey: null)).AssertError(HttpStatusCode.NotFound, "resource_not_found");
    }

    private static async Task<Dictionary<string, byte[]>> DownloadAllAsync(Harness h, string id)
    {
        var images = new Dictionary<string, byte[]>();
        foreach (var reference in (await h.GetAsync(id)).Json.GetProperty("refs").EnumerateArray())
        {
            images[reference.GetProperty("pose").GetString()!] = await h.Http.GetByteArrayAsync(reference.GetProperty("url").GetString());
        }

        return images;
    }

    /// <summary>The palette colour of every pixel, for comparing pictures rather than encodings.</summary>
    private static IEnumerable<int> Pixels(byte[] png)
    {
        var (palette, rows) = AssertValidPng(png);
        return rows.SelectMany(row => row.Skip(1).Select(i => palette[i]));
    }

    private static (int[] Palette, byte[][] Rows) AssertValidPng(byte[] png)
    {
        Assert.Equal(new byte[] { 0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A }, png[..8]);
        var offset = 8;
        var types = new List<string>();
        byte[]? idat = null;
        byte[] plte = [];
        while (offset < png.Length)
        {
            var length = BinaryPrimitives.ReadInt32BigEndian(png.AsSpan(offset));
            var type = Encoding.ASCII.GetString(png, offset + 4, 4);
            var typeAndData = png.AsSpan(offset + 4, 4 + length);
            Assert.Equal(BinaryPrimitives.ReadUInt32BigEndian(png.AsSpan(offset + 8 + length)), Crc32(typeAndData));
            if (type == "IDAT")
            {
                idat = png.AsSpan(offset + 8, length).ToArray();
            }

            if (type == "PLTE")
            {
                plte = png.AsSpan(offset + 8, length).ToArray();
            }

            types.Add(type);
            offset += 12 + length;
        }

        Assert.Equal(["IHDR", "PLTE", "IDAT", "IEND"], types);
        Assert.Equal(8, png[24]); // bit depth
        Assert.Equal(3, png[25]); // indexed colour
        using var inflated = new MemoryStream();
        using (var zlib = new ZLibStream(new MemoryStream(idat!), CompressionMode.Decompress))
        {
            zlib.CopyTo(inflated);
        }

        var width = BinaryPrimitives.ReadInt32BigEndian(png.AsSpan(16));
        var height = BinaryPrimitives.ReadInt32BigEndian(png.AsSpan(20));
        Assert.Equal((512, 512), (width, height));
        Assert.Equal(height * (1 + width), inflated.Length);
        var palette = Enumerable.Range(0, plte.Length / 3).Select(i => (plte[i * 3] << 16) | (plte[(i * 3) + 1] << 8) | plte[(i * 3) + 2]).ToArray();
        var rows = inflated.ToArray().Chunk(1 + width).ToArray();
        Assert.All(rows, row => Assert.Equal(0, row[0]));
        Assert.All(rows, row => Assert.All(row.Skip(1), index => Assert.InRange(index, 0, palette.Length - 1)));
        return (palette, rows);
    }

    private static uint Crc32(ReadOnlySpan<byte> bytes)
    {
        var crc = 0xFFFFFFFFu;
        foreach (var b in bytes)
        {
            crc ^= b;
            for (var k = 0; k < 8; k++)
            {
                crc = (crc & 1) != 0 ? 0xEDB88320u ^ (crc >> 1) : crc >> 1;
            }
        }

        return crc ^ 0xFFFFFFFFu;
    }
}
