using System.Buffers.Binary;
using System.IO.Compression;
using System.Text;

namespace Aurous.Emulator;

/// <summary>
/// Encodes a <see cref="Canvas"/> as an 8-bit indexed-colour PNG: a ref picture has a dozen flat colours, so a palette
/// and zlib keep a 512×512 image to a few kilobytes, and the same canvas always gives the same bytes.
/// </summary>
internal static class PngImage
{
    private static readonly byte[] Signature = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A];
    private static readonly uint[] CrcTable = BuildCrcTable();

    public static byte[] Encode(Canvas canvas)
    {
        using var png = new MemoryStream();
        png.Write(Signature);

        var header = new byte[13];
        BinaryPrimitives.WriteInt32BigEndian(header.AsSpan(0), canvas.Width);
        BinaryPrimitives.WriteInt32BigEndian(header.AsSpan(4), canvas.Height);
        header[8] = 8; // bit depth
        header[9] = 3; // colour type: indexed
        WriteChunk(png, "IHDR", header);

        var palette = new byte[canvas.Palette.Count * 3];
        for (var i = 0; i < canvas.Palette.Count; i++)
        {
            (palette[i * 3], palette[(i * 3) + 1], palette[(i * 3) + 2]) = canvas.Palette[i];
        }

        WriteChunk(png, "PLTE", palette);

        // Filter "none" on every row: the PNG specification's advice for palette images, and the smallest here.
        var scanlines = new byte[canvas.Height * (1 + canvas.Width)];
        for (var row = 0; row < canvas.Height; row++)
        {
            canvas.Pixels.AsSpan(row * canvas.Width, canvas.Width).CopyTo(scanlines.AsSpan((row * (1 + canvas.Width)) + 1));
        }

        using (var compressed = new MemoryStream())
        {
            using (var zlib = new ZLibStream(compressed, CompressionLevel.SmallestSize, leaveOpen: true))
            {
                zlib.Write(scanlines);
            }

            WriteChunk(png, "IDAT", compressed.ToArray());
        }

        WriteChunk(png, "IEND", []);
        return png.ToArray();
    }

    private static void WriteChunk(Stream png, string type, byte[] data)
    {
        Span<byte> word = stackalloc byte[4];
        BinaryPrimitives.WriteInt32BigEndian(word, data.Length);
        png.Write(word);

        var typeAndData = new byte[4 + data.Length];
        Encoding.ASCII.GetBytes(type, typeAndData);
        data.CopyTo(typeAndData, 4);
        png.Write(typeAndData);

        BinaryPrimitives.WriteUInt32BigEndian(word, Crc32(typeAndData));
        png.Write(word);
    }

    private static uint Crc32(byte[] bytes)
    {
        var crc = 0xFFFFFFFFu;
        foreach (var b in bytes)
        {
            crc = CrcTable[(crc ^ b) & 0xFF] ^ (crc >> 8);
        }

        return crc ^ 0xFFFFFFFFu;
    }

    private static uint[] BuildCrcTable()
    {
        var table = new uint[256];
        for (var n = 0u; n < 256; n++)
        {
            var c = n;
            for (var k = 0; k < 8; k++)
            {
                c = (c & 1) != 0 ? 0xEDB88320u ^ (c >> 1) : c >> 1;
            }

            table[n] = c;
        }

        return table;
    }
}
