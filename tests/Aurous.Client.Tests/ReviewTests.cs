using System.Collections.Concurrent;
using System.IO.Compression;
using System.Text;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Http;

namespace Aurous.Client.Tests;

/// <summary>
/// What Show-AurousCharacter builds on: ref images downloaded into memory within bounds, the PNG decoder, the terminal
/// protocols' sequences and the review page, all checked on what they produce.
/// </summary>
public sealed class ReviewTests
{
    private const string Esc = "\u001b";

    private static async Task<List<RefImage>> LoadAsync(AurousClient client, params Character[] characters)
    {
        var images = new ConcurrentQueue<RefImage>();
        await client.LoadRefImagesAsync(characters, images.Enqueue);
        return images.OrderBy(i => i.Pose).ToList();
    }

    private static async Task<(AurousClient Client, Character Character)> ReviewingAsync(TestEmulator emulator, string name = "Aurora")
    {
        var client = emulator.Client();
        var created = await client.CreateCharacterAsync(new CharacterCreate { Name = name, Attributes = new CharacterAttributes { HairColor = "red", EyeColor = "green" } });
        return (client, await client.GetCharacterAsync(created.Id));
    }

    private static Character Stubbed(StorageStub stub) => new()
    {
        Id = "char_01HXMQ7Z3K8Y2NABCDEFGHJKMR",
        Name = "Stubbed",
        Status = "Reviewing",
        Refs = new[] { new CharacterRef { Pose = "Front", Url = stub.BaseUri + "img/front.png?token=t" } },
    };

    [Fact]
    public async Task Every_pose_downloads_into_memory_as_a_png_with_the_size_its_header_gives()
    {
        await using var emulator = await TestEmulator.StartAsync();
        var (client, character) = await ReviewingAsync(emulator);
        using (client)
        {
            var images = await LoadAsync(client, character);

            Assert.Equal(new[] { CharacterPose.Portrait, CharacterPose.Front, CharacterPose.Side, CharacterPose.Back }, images.Select(i => i.Pose));
            Assert.All(images, i => Assert.Null(i.Error));
            Assert.All(images, i => Assert.Equal("image/png", i.MediaType));
            Assert.All(images, i => Assert.Equal((512, 512), (i.Size!.Value.Width, i.Size.Value.Height)));
            Assert.All(images, i => Assert.Equal((512, 512), (PngDecoder.Decode(i.Bytes!).Width, PngDecoder.Decode(i.Bytes!).Height)));
        }
    }

    [Fact]
    public async Task An_expired_url_is_renewed_once_by_reading_the_character_again()
    {
        await using var emulator = await TestEmulator.StartAsync(o => o.RefUrlLifetime = TimeSpan.FromMinutes(5));
        var (client, character) = await ReviewingAsync(emulator);
        using (client)
        {
            int Reads() => emulator.Lines(AurousLogLevel.Verbose).Count(l => l.StartsWith($"GET /v1/characters/{character.Id} -> 200", StringComparison.Ordinal));
            var before = Reads();
            emulator.Server.Clock.Advance(TimeSpan.FromMinutes(6));
            var images = await LoadAsync(client, character);

            Assert.All(images, i => Assert.Null(i.Error));
            Assert.Equal(4, images.Count);
            Assert.Equal(before + 1, Reads());
        }
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task A_body_over_10_MB_is_refused_without_being_read_past_the_bound(bool announced)
    {
        await using var stub = await StorageStub.StartAsync(async (context, _) =>
        {
            context.Response.ContentType = "image/png";
            if (announced)
            {
                context.Response.ContentLength = 64L * 1024 * 1024;
            }

            var chunk = new byte[64 * 1024];
            try
            {
                for (var i = 0; i < 1024 && !context.RequestAborted.IsCancellationRequested; i++)
                {
                    await context.Response.Body.WriteAsync(chunk);
                }
            }
            catch (Exception e) when (e is IOException or OperationCanceledException or InvalidOperationException)
            {
                // The client hung up, as it should.
            }
        });
        await using var emulator = await TestEmulator.StartAsync();
        using var client = emulator.Client();

        var image = Assert.Single(await LoadAsync(client, Stubbed(stub)));

        Assert.Equal(AurousErrors.RefImageTooLarge, image.Error?.ErrorId);
        Assert.Null(image.Bytes);
        Assert.StartsWith("Character char_01HXMQ7Z3K8Y2NABCDEFGHJKMR (Stubbed): The front ref is larger than the 10 MB", image.Error!.Message);
        // Announced: refused by its length, unread. Not announced: read to one byte past the bound, then refused.
        Assert.Contains(announced ? $"({64L * 1024 * 1024} bytes)" : "(its download ran past that)", image.Error.Message);
    }

    [Fact]
    public async Task A_png_whose_header_is_over_4096_pixels_is_refused_before_decoding()
    {
        var huge = Png(5000, 10, colourType: 2, depth: 8, rows: null);
        await using var stub = await StorageStub.StartAsync((context, _) =>
        {
            context.Response.ContentType = "image/png";
            return context.Response.Body.WriteAsync(huge).AsTask();
        });
        await using var emulator = await TestEmulator.StartAsync();
        using var client = emulator.Client();

        var image = Assert.Single(await LoadAsync(client, Stubbed(stub)));

        Assert.Equal(AurousErrors.RefImageTooLarge, image.Error?.ErrorId);
        Assert.Contains("5000×10 pixels", image.Error!.Message);
        Assert.Throws<InvalidDataException>(() => PngDecoder.Decode(huge));
    }

    [Fact]
    public void The_decoder_reads_every_filter_and_colour_type_it_accepts()
    {
        // 3×2 RGB with the Sub and Paeth filters, 2×2 grey+alpha with Up and Average, and the stub's 1×1 RGBA.
        var rgb = PngDecoder.Decode(Png(3, 2, 2, 8, new[] { Row(1, 10, 20, 30, 1, 1, 1, 1, 1, 1), Row(4, 5, 5, 5, 0, 0, 0, 0, 0, 0) }));
        Assert.Equal(new byte[] { 10, 20, 30, 255, 11, 21, 31, 255, 12, 22, 32, 255 }, rgb.Pixels.Take(12));
        Assert.Equal(new byte[] { 15, 25, 35, 255 }, rgb.Pixels.Skip(12).Take(4));

        var grey = PngDecoder.Decode(Png(2, 2, 4, 8, new[] { Row(0, 100, 255, 50, 128), Row(2, 1, 0, 1, 0) }));
        Assert.Equal(new byte[] { 100, 100, 100, 255, 50, 50, 50, 128, 101, 101, 101, 255, 51, 51, 51, 128 }, grey.Pixels);

        Assert.Equal(1, PngDecoder.Decode(StorageStub.Png).Width);
    }

    [Theory]
    [InlineData("not a png at all")]
    [InlineData("cut")]
    [InlineData("bad filter")]
    [InlineData("interlaced")]
    public void Damaged_or_refused_pngs_are_InvalidDataException(string damage)
    {
        var png = damage switch
        {
            "not a png at all" => Encoding.ASCII.GetBytes(damage),
            "cut" => Png(2, 2, 2, 8, new[] { Row(0, 1, 2, 3, 4, 5, 6), Row(0, 1, 2, 3, 4, 5, 6) })[..40],
            "bad filter" => Png(1, 1, 2, 8, new[] { Row(9, 1, 2, 3) }),
            _ => Png(1, 1, 2, 8, new[] { Row(0, 1, 2, 3) }, interlace: 1),
        };

        Assert.Throws<InvalidDataException>(() => PngDecoder.Decode(png));
    }

    [Theory]
    [InlineData("TERM_PROGRAM=iTerm.app", TerminalGraphics.ITerm2)]
    [InlineData("TERM_PROGRAM=WezTerm", TerminalGraphics.ITerm2)]
    [InlineData("TERM_PROGRAM=vscode", TerminalGraphics.ITerm2)]
    [InlineData("TERM=xterm-kitty", TerminalGraphics.Kitty)]
    [InlineData("KITTY_WINDOW_ID=1", TerminalGraphics.Kitty)]
    [InlineData("TERM_PROGRAM=ghostty", TerminalGraphics.Kitty)]
    [InlineData("WT_SESSION=abc", TerminalGraphics.Sixel)]
    [InlineData("TERM=foot", TerminalGraphics.Sixel)]
    [InlineData("TERM=mlterm", TerminalGraphics.Sixel)]
    [InlineData("TERM=xterm-256color", TerminalGraphics.None)]
    [InlineData("TERM_PROGRAM=iTerm.app;TMUX=/tmp/tmux-0/default", TerminalGraphics.None)]
    [InlineData("", TerminalGraphics.None)]
    public void The_protocol_comes_from_the_variables_terminals_set(string variables, TerminalGraphics expected)
    {
        var environment = variables.Split(';', StringSplitOptions.RemoveEmptyEntries).Select(v => v.Split('=')).ToDictionary(v => v[0], v => v[1]);
        Assert.Equal(expected, TerminalImages.Detect(name => environment.GetValueOrDefault(name)));
    }

    [Fact]
    public async Task The_iterm2_and_kitty_payloads_are_the_png_itself()
    {
        await using var emulator = await TestEmulator.StartAsync();
        var (client, character) = await ReviewingAsync(emulator);
        using (client)
        {
            var png = (await LoadAsync(client, character))[0].Bytes!;

            var iterm = TerminalImages.ITerm2(png, "a.png", 24, 12);
            var osc = Regex.Match(iterm, "^\u001b\\]1337;File=name=([^;]+);size=(\\d+);width=24;height=12;preserveAspectRatio=1;inline=1:([A-Za-z0-9+/=]+)\u0007$");
            Assert.True(osc.Success, iterm[..80]);
            Assert.Equal("a.png", Encoding.UTF8.GetString(Convert.FromBase64String(osc.Groups[1].Value)));
            Assert.Equal(png.Length, int.Parse(osc.Groups[2].Value));
            Assert.Equal(png, Convert.FromBase64String(osc.Groups[3].Value));

            var big = png.Concat(new byte[9000]).ToArray();
            var kitty = TerminalImages.Kitty(big, 24, 12);
            var chunks = Regex.Matches(kitty, "\u001b_G([^;]*);([A-Za-z0-9+/=]*)\u001b\\\\");
            Assert.Equal(kitty.Length, chunks.Sum(c => c.Length));
            Assert.True(chunks.Count > 1);
            Assert.Equal("a=T,f=100,t=d,q=2,C=1,c=24,r=12,m=1", chunks[0].Groups[1].Value);
            Assert.All(chunks.Skip(1).SkipLast(1), c => Assert.Equal("m=1", c.Groups[1].Value));
            Assert.Equal("m=0", chunks[^1].Groups[1].Value);
            Assert.All(chunks, c => Assert.True(c.Groups[2].Length <= 4096));
            Assert.Equal(big, Convert.FromBase64String(string.Concat(chunks.Select(c => c.Groups[2].Value))));
        }
    }

    [Fact]
    public async Task A_sixel_image_decodes_back_to_the_scaled_size_and_its_colours()
    {
        await using var emulator = await TestEmulator.StartAsync();
        var (client, character) = await ReviewingAsync(emulator);
        using (client)
        {
            var decoded = PngDecoder.Decode((await LoadAsync(client, character))[0].Bytes!);
            var sixel = TerminalImages.Sixel(decoded, 160);

            var (width, height, declared, colours) = ReadSixel(sixel);
            Assert.Equal((160, 160), (width, height));
            Assert.Equal((160, 160), declared);
            Assert.InRange(colours, 5, 256);
        }
    }

    [Fact]
    public void A_sixel_image_of_many_colours_uses_the_colour_cube_and_keeps_its_size()
    {
        var pixels = new byte[300 * 100 * 4];
        for (var i = 0; i < 300 * 100; i++)
        {
            (pixels[i * 4], pixels[(i * 4) + 1], pixels[(i * 4) + 2], pixels[(i * 4) + 3]) = ((byte)i, (byte)(i >> 8), (byte)(i * 7), 255);
        }

        var (width, height, declared, colours) = ReadSixel(TerminalImages.Sixel(new RgbaImage(300, 100, pixels), 150));

        Assert.Equal((150, 50), (width, height));
        Assert.Equal((150, 50), declared);
        Assert.Equal(216, colours);
    }

    [Fact]
    public async Task The_terminal_sheet_draws_the_poses_side_by_side_from_a_saved_cursor()
    {
        await using var emulator = await TestEmulator.StartAsync();
        var (client, character) = await ReviewingAsync(emulator, "Ann");
        using (client)
        {
            character.Name = "Ann\u001b[31m";
            var failures = new List<AurousException>();
            var text = TerminalSheet.Render(character, await LoadAsync(client, character), TerminalGraphics.Kitty, 120, failures);

            Assert.Empty(failures);
            Assert.DoesNotContain("Ann\u001b", text, StringComparison.Ordinal);
            Assert.Contains($"{character.Id} (Ann?[31m)  Reviewing", text);
            Assert.Contains("hair_color=red, eye_color=green", text);
            Assert.Equal(4, Regex.Matches(text, "\u001b_Ga=T").Count);
            Assert.Equal(new[] { 2, 28, 54, 80 }, Regex.Matches(text, "\u001b8\u001b\\[(\\d+)C\u001b_G").Select(m => int.Parse(m.Groups[1].Value)));
            Assert.Contains("\n\u001b[12A\u001b7", text);

            var narrow = TerminalSheet.Render(character, await LoadAsync(client, character), TerminalGraphics.Kitty, 60, failures);
            Assert.Equal(2, Regex.Matches(narrow, "\u001b7").Count);
        }
    }

    [Fact]
    public async Task The_page_embeds_every_pose_and_encodes_all_user_text()
    {
        await using var emulator = await TestEmulator.StartAsync();
        var (client, first) = await ReviewingAsync(emulator, "<script>alert('x')</script> & \"co\"");
        using (client)
        {
            var second = await client.GetCharacterAsync((await client.CreateCharacterAsync(new CharacterCreate { Name = "Bob", Attributes = new CharacterAttributes { AdditionalDetails = "<img src=x onerror=alert(1)>" } })).Id);
            var images = await LoadAsync(client, first, second);

            var html = ContactSheet.Build(new[] { first, second }, images, DateTimeOffset.UnixEpoch, "nonce1");

            Assert.Equal(8, Regex.Matches(html, "<img src=\"data:image/png;base64,").Count);
            foreach (Match data in Regex.Matches(html, "data:image/png;base64,([A-Za-z0-9+/=]+)"))
            {
                Assert.Equal((512, 512), (PngDecoder.Decode(Convert.FromBase64String(data.Groups[1].Value)).Width, PngDecoder.Decode(Convert.FromBase64String(data.Groups[1].Value)).Height));
            }

            Assert.DoesNotContain("<script>alert", html);
            Assert.DoesNotContain("<img src=x", html);
            Assert.Contains("&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; &quot;co&quot;", html);
            Assert.Contains("&lt;img src=x onerror=alert(1)&gt;", html);
            Assert.Contains("script-src 'nonce-nonce1'", html);
            Assert.Single(Regex.Matches(html, "<script"));
            Assert.Contains($"data-id=\"{first.Id}\"", html);
            Assert.Contains($"<code>{second.Id}</code>", html);
        }
    }

    /// <summary>Parses a Sixel sequence: its declared raster size, the size its data draws, and the colours defined.</summary>
    private static (int Width, int Height, (int, int) Declared, int Colours) ReadSixel(string sixel)
    {
        Assert.StartsWith(Esc + "P0;1;0q", sixel);
        Assert.EndsWith(Esc + "\\", sixel);
        var body = sixel[(Esc.Length + 7)..^2];
        var raster = Regex.Match(body, "^\"1;1;(\\d+);(\\d+)");
        Assert.True(raster.Success);
        var colours = Regex.Matches(body, "#\\d+;2;\\d+;\\d+;\\d+").Count;
        body = Regex.Replace(body[raster.Length..], "#\\d+(;2;\\d+;\\d+;\\d+)?", string.Empty);

        int width = 0, x = 0, bands = 0, lowest = 0;
        for (var i = 0; i < body.Length; i++)
        {
            var c = body[i];
            if (c == '$')
            {
                x = 0;
            }
            else if (c == '-')
            {
                bands++;
                x = 0;
            }
            else if (c == '!')
            {
                var digits = Regex.Match(body[(i + 1)..], "^\\d+");
                var count = int.Parse(digits.Value);
                i += digits.Length + 1;
                lowest = Math.Max(lowest, Lowest(body[i], bands));
                x += count;
            }
            else
            {
                Assert.InRange(c, '?', '~');
                lowest = Math.Max(lowest, Lowest(c, bands));
                x++;
            }

            width = Math.Max(width, x);
        }

        return (width, lowest, (int.Parse(raster.Groups[1].Value), int.Parse(raster.Groups[2].Value)), colours);
    }

    // One past the lowest row a sixel character paints, or 0 when it paints none.
    private static int Lowest(char c, int band)
    {
        var bits = c - 63;
        for (var dy = 5; dy >= 0; dy--)
        {
            if ((bits & (1 << dy)) != 0)
            {
                return (band * 6) + dy + 1;
            }
        }

        return 0;
    }

    private static byte[] Row(byte filter, params byte[] bytes) => new[] { filter }.Concat(bytes).ToArray();

    /// <summary>A PNG from filtered rows as given (or rows of zeros), for decoder tests.</summary>
    private static byte[] Png(int width, int height, byte colourType, byte depth, byte[][]? rows, byte interlace = 0)
    {
        using var png = new MemoryStream();
        png.Write(new byte[] { 0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A });
        var header = new byte[13];
        System.Buffers.Binary.BinaryPrimitives.WriteInt32BigEndian(header, width);
        System.Buffers.Binary.BinaryPrimitives.WriteInt32BigEndian(header.AsSpan(4), height);
        (header[8], header[9], header[12]) = (depth, colourType, interlace);
        Chunk(png, "IHDR", header);
        using (var compressed = new MemoryStream())
        {
            using (var zlib = new ZLibStream(compressed, CompressionLevel.Fastest, leaveOpen: true))
            {
                zlib.Write(rows is null ? new byte[16] : rows.SelectMany(r => r).ToArray());
            }

            Chunk(png, "IDAT", compressed.ToArray());
        }

        Chunk(png, "IEND", Array.Empty<byte>());
        return png.ToArray();
    }

    // The decoder does not check CRCs, so a zero CRC keeps this short.
    private static void Chunk(Stream png, string type, byte[] data)
    {
        var length = new byte[4];
        System.Buffers.Binary.BinaryPrimitives.WriteInt32BigEndian(length, data.Length);
        png.Write(length);
        png.Write(Encoding.ASCII.GetBytes(type));
        png.Write(data);
        png.Write(new byte[4]);
    }
}
