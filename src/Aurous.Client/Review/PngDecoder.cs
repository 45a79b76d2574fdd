using System;
using System.IO;
using System.IO.Compression;

namespace Aurous.Client;

/// <summary>The size a PNG says it has, read from its header alone.</summary>
public readonly struct PngSize
{
    internal PngSize(int width, int height)
    {
        Width = width;
        Height = height;
    }

    public int Width { get; }

    public int Height { get; }
}

/// <summary>An image decoded to 8-bit RGBA, row by row.</summary>
public sealed class RgbaImage
{
    public RgbaImage(int width, int height, byte[] pixels)
    {
        Width = width;
        Height = height;
        Pixels = pixels;
    }

    public int Width { get; }

    public int Height { get; }

    /// <summary>Four bytes per pixel: red, green, blue, alpha.</summary>
    public byte[] Pixels { get; }
}

/// <summary>
/// A small PNG decoder for what only Sixel needs: pixels. Ref images come from the network, so it trusts nothing: the
/// size is read and bounded (<see cref="MaxDimension"/>) before anything is inflated, the inflated data may not grow
/// past the exact size the header implies, every chunk's length is checked against the bytes there are, and anything
/// it does not understand is refused rather than guessed. Only the inflating is the framework's (DeflateStream).
/// </summary>
/// <remarks>
/// It reads every colour type and bit depth of the PNG specification, with or without a palette, and no ancillary
/// chunk: no gamma, no colour profile, no transparency key (tRNS is honoured for palettes only). Interlaced (Adam7)
/// images are refused: the API's images are not interlaced, and the code is not worth its risk here.
/// </remarks>
public static class PngDecoder
{
    /// <summary>The largest width or height accepted: a ref image is a few hundred to a few thousand pixels across.</summary>
    public const int MaxDimension = 4096;

    private static readonly byte[] Signature = { 0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A };

    /// <summary>Whether <paramref name="bytes"/> start like a PNG.</summary>
    public static bool IsPng(byte[] bytes)
    {
        if (bytes is null || bytes.Length < Signature.Length)
        {
            return false;
        }

        for (int i = 0; i < Signature.Length; i++)
        {
            if (bytes[i] != Signature[i])
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>The width and height from the IHDR chunk; an error for anything that is not a PNG header.</summary>
    /// <exception cref="InvalidDataException">not a PNG, or a header the specification does not allow.</exception>
    public static PngSize ReadSize(byte[] png)
    {
        if (!IsPng(png) || png.Length < 33 || ReadInt(png, 8) != 13 || Type(png, 12) != "IHDR")
        {
            throw new InvalidDataException("not a PNG image (no PNG signature and header)");
        }

        int width = ReadInt(png, 16);
        int height = ReadInt(png, 20);
        if (width <= 0 || height <= 0)
        {
            throw new InvalidDataException($"a PNG header with an impossible size ({width}×{height})");
        }

        return new PngSize(width, height);
    }

    /// <summary>Decodes <paramref name="png"/> to RGBA.</summary>
    /// <exception cref="InvalidDataException">not a PNG, larger than <see cref="MaxDimension"/>, damaged or of a kind this decoder refuses.</exception>
    public static RgbaImage Decode(byte[] png)
    {
        PngSize size = ReadSize(png);
        if (size.Width > MaxDimension || size.Height > MaxDimension)
        {
            throw new InvalidDataException($"a PNG of {size.Width}×{size.Height} pixels, over the {MaxDimension}×{MaxDimension} this module decodes");
        }

        int depth = png[24];
        int colourType = png[25];
        if (png[26] != 0 || png[27] != 0)
        {
            throw new InvalidDataException("a PNG with an unknown compression or filter method");
        }

        if (png[28] != 0)
        {
            throw new InvalidDataException("an interlaced PNG, which this module does not decode");
        }

        int channels = colourType switch
        {
            0 => 1,
            2 => 3,
            3 => 1,
            4 => 2,
            6 => 4,
            _ => throw new InvalidDataException($"a PNG of unknown colour type {colourType}"),
        };
        bool allowed = colourType switch
        {
            0 => depth is 1 or 2 or 4 or 8 or 16,
            3 => depth is 1 or 2 or 4 or 8,
            _ => depth is 8 or 16,
        };
        if (!allowed)
        {
            throw new InvalidDataException($"a PNG of colour type {colourType} with bit depth {depth}, which the specification does not allow");
        }

        byte[]? palette = null;
        byte[]? paletteAlpha = null;
        using var compressed = new MemoryStream();
        int offset = 8;
        while (true)
        {
            if (offset + 12 > png.Length)
            {
                throw new InvalidDataException("a PNG cut short (no IEND chunk)");
            }

            int length = ReadInt(png, offset);
            string type = Type(png, offset + 4);
            if (length < 0 || length > png.Length - offset - 12)
            {
                throw new InvalidDataException($"a PNG whose {type} chunk runs past the end of the file");
            }

            int data = offset + 8;
            switch (type)
            {
                case "PLTE":
                    palette = Slice(png, data, length);
                    break;
                case "tRNS" when colourType == 3:
                    paletteAlpha = Slice(png, data, length);
                    break;
                case "IDAT":
                    compressed.Write(png, data, length);
                    break;
            }

            offset = data + length + 4;
            if (type == "IEND")
            {
                break;
            }
        }

        if (colourType == 3 && (palette is null || palette.Length % 3 != 0 || palette.Length == 0))
        {
            throw new InvalidDataException("a palette PNG without a valid palette");
        }

        int bitsPerPixel = channels * depth;
        int stride = (int)(((long)size.Width * bitsPerPixel + 7) / 8);
        byte[] raw = Inflate(compressed, (long)size.Height * (stride + 1));
        Unfilter(raw, size.Height, stride, Math.Max(1, bitsPerPixel / 8));
        return ToRgba(raw, size, stride, depth, colourType, palette, paletteAlpha);
    }

    // The zlib stream without its 2-byte header (DeflateStream reads raw deflate); exactly `expected` bytes or an error.
    private static byte[] Inflate(MemoryStream compressed, long expected)
    {
        byte[] zlib = compressed.ToArray();
        if (zlib.Length < 2 || (zlib[0] & 0x0F) != 8 || ((zlib[0] << 8) | zlib[1]) % 31 != 0 || (zlib[1] & 0x20) != 0)
        {
            throw new InvalidDataException("a PNG whose image data is not a zlib stream");
        }

        var raw = new byte[expected];
        using var inflater = new DeflateStream(new MemoryStream(zlib, 2, zlib.Length - 2), CompressionMode.Decompress);
        long read = 0;
        try
        {
            while (read < expected)
            {
                int n = inflater.Read(raw, (int)read, (int)Math.Min(expected - read, 1 << 20));
                if (n == 0)
                {
                    throw new InvalidDataException("a PNG whose image data is shorter than its size needs");
                }

                read += n;
            }
        }
        catch (InvalidDataException)
        {
            throw;
        }
        catch (Exception e) when (e is IOException or NotSupportedException)
        {
            throw new InvalidDataException($"a PNG whose image data cannot be inflated ({e.Message})");
        }

        return raw;
    }

    private static void Unfilter(byte[] raw, int height, int stride, int bytesPerPixel)
    {
        for (int y = 0; y < height; y++)
        {
            int row = y * (stride + 1);
            int previous = row - (stride + 1);
            byte filter = raw[row];
            for (int i = 1; i <= stride; i++)
            {
                int left = i > bytesPerPixel ? raw[row + i - bytesPerPixel] : 0;
                int up = y > 0 ? raw[previous + i] : 0;
                int upLeft = y > 0 && i > bytesPerPixel ? raw[previous + i - bytesPerPixel] : 0;
                raw[row + i] = filter switch
                {
                    0 => raw[row + i],
                    1 => (byte)(raw[row + i] + left),
                    2 => (byte)(raw[row + i] + up),
                    3 => (byte)(raw[row + i] + ((left + up) >> 1)),
                    4 => (byte)(raw[row + i] + Paeth(left, up, upLeft)),
                    _ => throw new InvalidDataException($"a PNG row with unknown filter type {filter}"),
                };
            }
        }
    }

    private static int Paeth(int a, int b, int c)
    {
        int p = a + b - c;
        int pa = Math.Abs(p - a);
        int pb = Math.Abs(p - b);
        int pc = Math.Abs(p - c);
        return pa <= pb && pa <= pc ? a : pb <= pc ? b : c;
    }

    private static RgbaImage ToRgba(byte[] raw, PngSize size, int stride, int depth, int colourType, byte[]? palette, byte[]? paletteAlpha)
    {
        var pixels = new byte[(long)size.Width * size.Height * 4];
        for (int y = 0; y < size.Height; y++)
        {
            int row = (y * (stride + 1)) + 1;
            for (int x = 0; x < size.Width; x++)
            {
                int o = ((y * size.Width) + x) * 4;
                switch (colourType)
                {
                    case 0:
                        byte grey = Sample(raw, row, x, depth);
                        (pixels[o], pixels[o + 1], pixels[o + 2], pixels[o + 3]) = (grey, grey, grey, 255);
                        break;
                    case 3:
                        int index = Packed(raw, row, x, depth);
                        if (index * 3 + 2 >= palette!.Length)
                        {
                            throw new InvalidDataException($"a PNG pixel with palette index {index}, past its palette");
                        }

                        (pixels[o], pixels[o + 1], pixels[o + 2]) = (palette[index * 3], palette[(index * 3) + 1], palette[(index * 3) + 2]);
                        pixels[o + 3] = paletteAlpha != null && index < paletteAlpha.Length ? paletteAlpha[index] : (byte)255;
                        break;
                    default:
                        int channels = colourType == 2 ? 3 : colourType == 4 ? 2 : 4;
                        int step = depth / 8;
                        int start = row + (x * channels * step);
                        // 16-bit samples keep their high byte.
                        byte c0 = raw[start];
                        byte c1 = raw[start + step];
                        if (colourType == 4)
                        {
                            (pixels[o], pixels[o + 1], pixels[o + 2], pixels[o + 3]) = (c0, c0, c0, c1);
                        }
                        else
                        {
                            (pixels[o], pixels[o + 1], pixels[o + 2]) = (c0, c1, raw[start + (2 * step)]);
                            pixels[o + 3] = colourType == 6 ? raw[start + (3 * step)] : (byte)255;
                        }

                        break;
                }
            }
        }

        return new RgbaImage(size.Width, size.Height, pixels);
    }

    // A grey sample of any depth, scaled to 0..255.
    private static byte Sample(byte[] raw, int row, int x, int depth) => depth switch
    {
        16 => raw[row + (x * 2)],
        8 => raw[row + x],
        _ => (byte)(Packed(raw, row, x, depth) * 255 / ((1 << depth) - 1)),
    };

    // A value packed at 1, 2, 4 or 8 bits, most significant bits first.
    private static int Packed(byte[] raw, int row, int x, int depth)
    {
        if (depth == 8)
        {
            return raw[row + x];
        }

        int bit = x * depth;
        return (raw[row + (bit / 8)] >> (8 - depth - (bit % 8))) & ((1 << depth) - 1);
    }

    private static int ReadInt(byte[] bytes, int offset) =>
        (bytes[offset] << 24) | (bytes[offset + 1] << 16) | (bytes[offset + 2] << 8) | bytes[offset + 3];

    private static string Type(byte[] bytes, int offset) =>
        offset + 4 <= bytes.Length ? System.Text.Encoding.ASCII.GetString(bytes, offset, 4) : string.Empty;

    private static byte[] Slice(byte[] bytes, int offset, int length)
    {
        var slice = new byte[length];
        Buffer.BlockCopy(bytes, offset, slice, 0, length);
        return slice;
    }
}
