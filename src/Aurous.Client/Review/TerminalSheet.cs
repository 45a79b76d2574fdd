using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text;

namespace Aurous.Client;

/// <summary>
/// One character drawn in the terminal: a heading (name, id, status), its attributes, then its poses side by side
/// with their names above them, as many to a row as the terminal's width allows.
/// </summary>
/// <remarks>
/// Side by side needs the cursor back at the top of the row for each picture, and a terminal moves it differently
/// after each protocol's image. So the rows the pictures take are first made with new lines (scrolling, if it must,
/// happens then), the cursor goes back up and its place is saved (DECSC); each picture starts from that place
/// (DECRC and a move right), and the cursor finally goes below them all. Kitty and iTerm2 are told the size in cells;
/// a Sixel picture is scaled to fit the cells at the smallest usual cell size, so it never runs past its rows.
/// </remarks>
public static class TerminalSheet
{
    /// <summary>Columns between the starts of two pictures (the picture and a gap).</summary>
    public const int Stride = 26;

    /// <summary>The cells a kitty or iTerm2 picture takes: a square picture in cells about twice as tall as wide.</summary>
    public const int ImageColumns = 24;

    public const int ImageRows = 12;

    /// <summary>A Sixel picture's largest side in pixels, and the rows kept for it (cells of 12 pixels or more).</summary>
    public const int SixelPixels = 160;

    public const int SixelRows = 14;

    private const string Esc = "\u001b";
    private const int Indent = 2;

    /// <summary>
    /// The text and escape sequences that draw <paramref name="character"/>, for a terminal <paramref name="width"/>
    /// columns wide; <paramref name="failures"/> gets one error per downloaded picture that could not be drawn.
    /// </summary>
    public static string Render(Character character, IEnumerable<RefImage> images, TerminalGraphics protocol, int width, List<AurousException> failures)
    {
        if (character is null || images is null || failures is null)
        {
            throw new ArgumentNullException(character is null ? nameof(character) : images is null ? nameof(images) : nameof(failures));
        }

        if (protocol == TerminalGraphics.None)
        {
            throw new ArgumentException("A terminal protocol is required.", nameof(protocol));
        }

        var text = new StringBuilder();
        text.Append(Printable(character.ToString())).Append("  ").Append(character.Status).Append("\r\n");
        string attributes = string.Join(", ", ContactSheet.Attributes(character.Attributes).Select(a => $"{a.Field}={a.Value}"));
        if (attributes.Length > 0)
        {
            text.Append(' ', Indent).Append(Printable(attributes)).Append("\r\n");
        }

        var drawn = new List<(CharacterPose Pose, string? Sequence)>();
        foreach (RefImage image in images.OrderBy(i => i.Pose))
        {
            string? sequence = Draw(image, protocol, out AurousException? failure);
            if (failure != null)
            {
                failures.Add(failure);
            }

            drawn.Add((image.Pose, sequence));
        }

        if (drawn.Count == 0)
        {
            text.Append(' ', Indent).Append($"No refs yet (it is {character.Status.ToLowerInvariant()}).").Append("\r\n\r\n");
            return text.ToString();
        }

        int rows = protocol == TerminalGraphics.Sixel ? SixelRows : ImageRows;
        int perRow = Math.Max(1, (width - Indent) / Stride);
        for (int start = 0; start < drawn.Count; start += perRow)
        {
            var group = drawn.Skip(start).Take(perRow).ToList();
            text.Append(' ', Indent);
            foreach (var (pose, sequence) in group)
            {
                text.Append((sequence == null ? $"{pose} (not shown)" : pose.ToString()).PadRight(Stride));
            }

            text.Append("\r\n").Append('\n', rows).Append(Esc).Append('[').Append(rows).Append('A').Append(Esc).Append('7');
            for (int i = 0; i < group.Count; i++)
            {
                if (group[i].Sequence != null)
                {
                    text.Append(Esc).Append('8').Append(Esc).Append('[').Append(Indent + (i * Stride)).Append('C').Append(group[i].Sequence);
                }
            }

            text.Append(Esc).Append('8').Append(Esc).Append('[').Append(rows).Append('B').Append("\r\n");
        }

        return text.Append("\r\n").ToString();
    }

    private static string? Draw(RefImage image, TerminalGraphics protocol, out AurousException? failure)
    {
        // A failed download has its error already; it is only marked "not shown" here.
        failure = null;
        if (image.Error != null || image.Bytes == null)
        {
            return null;
        }

        bool png = PngDecoder.IsPng(image.Bytes);
        switch (protocol)
        {
            case TerminalGraphics.ITerm2:
                return TerminalImages.ITerm2(image.Bytes, $"{image.Character.Id}-{image.PoseName.ToLowerInvariant()}", ImageColumns, ImageRows);
            case TerminalGraphics.Kitty when png:
                return TerminalImages.Kitty(image.Bytes, ImageColumns, ImageRows);
            case TerminalGraphics.Sixel when png:
                try
                {
                    return TerminalImages.Sixel(PngDecoder.Decode(image.Bytes), SixelPixels);
                }
                catch (InvalidDataException e)
                {
                    failure = RefFiles.Refused(image.Character, image.Pose, $"cannot be drawn as Sixel: it is {e.Message}; show it on the page instead (leave out -InTerminal)", AurousErrors.RefImageUnreadable);
                    return null;
                }

            default:
                failure = RefFiles.Refused(image.Character, image.Pose, $"is {image.MediaType ?? "an untyped image"}, and the {protocol} protocol draws only PNG here; show it on the page instead (leave out -InTerminal)", AurousErrors.RefImageUnreadable);
                return null;
        }
    }

    // Names are user text: control characters (an escape sequence of their own) are not written to the terminal.
    private static string Printable(string text) =>
        new string(text.Select(c => char.IsControl(c) ? '?' : c).ToArray());
}
