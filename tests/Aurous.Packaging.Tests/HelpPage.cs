using System.Text.RegularExpressions;

namespace Aurous.Packaging.Tests;

/// <summary>
/// One docs/&lt;Cmdlet&gt;.md page in the PlatyPS 0.14 markdown schema (2.0.0), read the way New-ExternalHelp
/// reads it: YAML front matter, "## " sections, "### " entries with their fenced blocks.
/// </summary>
internal sealed partial class HelpPage
{
    public static readonly string[] SectionOrder = { "SYNOPSIS", "SYNTAX", "DESCRIPTION", "EXAMPLES", "PARAMETERS", "INPUTS", "OUTPUTS", "NOTES", "RELATED LINKS" };

    private HelpPage(string path, string text)
    {
        Path = path;
        string[] lines = text.Replace("\r\n", "\n").Split('\n');
        if (lines[0] != "---")
        {
            throw new FormatException($"{path}: no YAML front matter");
        }

        int end = Array.IndexOf(lines, "---", 1);
        FrontMatter = lines[1..end].Select(l => l.Split(':', 2)).ToDictionary(kv => kv[0].Trim(), kv => kv.Length > 1 ? kv[1].Trim() : string.Empty);
        Title = lines.Skip(end + 1).First(l => l.StartsWith("# ", StringComparison.Ordinal))[2..];

        string? section = null;
        string? entry = null;
        foreach (string line in lines.Skip(end + 1))
        {
            if (line.StartsWith("## ", StringComparison.Ordinal))
            {
                section = line[3..];
                entry = null;
                Sections.Add(section);
                Entries[section] = new List<Entry>();
            }
            else if (line.StartsWith("### ", StringComparison.Ordinal) && section != null)
            {
                entry = line[4..];
                Entries[section].Add(new Entry(entry));
            }
            else if (section != null && entry != null)
            {
                Entries[section][^1].Lines.Add(line);
            }
            else if (section != null)
            {
                SectionText[section] = (SectionText.GetValueOrDefault(section) ?? string.Empty) + line + "\n";
            }
        }
    }

    public string Path { get; }

    public IReadOnlyDictionary<string, string> FrontMatter { get; }

    public string Title { get; }

    public List<string> Sections { get; } = new();

    public Dictionary<string, List<Entry>> Entries { get; } = new();

    public Dictionary<string, string> SectionText { get; } = new();

    /// <summary>"### -Name" entries of PARAMETERS, by name without the dash.</summary>
    public IReadOnlyDictionary<string, Entry> Parameters =>
        Entries["PARAMETERS"].Where(e => e.Heading.StartsWith('-')).ToDictionary(e => e.Heading[1..]);

    public IReadOnlyList<Entry> Examples => Entries["EXAMPLES"];

    public static HelpPage Load(string path) => new(path, File.ReadAllText(path));

    internal sealed class Entry
    {
        public Entry(string heading) => Heading = heading;

        public string Heading { get; }

        public List<string> Lines { get; } = new();

        /// <summary>The contents of each fenced block with the given info string ("yaml", "powershell", "").</summary>
        public IEnumerable<string> Blocks(string language)
        {
            string? fence = null;
            var block = new List<string>();
            foreach (string line in Lines)
            {
                if (!line.StartsWith("```", StringComparison.Ordinal))
                {
                    block.Add(line);
                }
                else if (fence == null)
                {
                    fence = line[3..].Trim();
                    block.Clear();
                }
                else
                {
                    if (fence == language)
                    {
                        yield return string.Join("\n", block);
                    }

                    fence = null;
                }
            }
        }

        /// <summary>"Key: value" lines of the first yaml block.</summary>
        public IReadOnlyDictionary<string, string> Yaml() =>
            Blocks("yaml").First().Split('\n').Where(l => l.Contains(':')).Select(l => l.Split(':', 2)).ToDictionary(kv => kv[0].Trim(), kv => kv[1].Trim());
    }

    /// <summary>Strips a "PS C:\&gt; " prompt, which PlatyPS examples may carry, so the code parses.</summary>
    public static string WithoutPrompts(string code) => Prompt().Replace(code, string.Empty);

    [GeneratedRegex(@"(?m)^PS [^>]*> ?")]
    private static partial Regex Prompt();
}
