using System.Text.RegularExpressions;

namespace Aurous.Packaging.Tests;

/// <summary>
/// One docs/&lt;Cmdlet&gt;.md page in the Microsoft.PowerShell.PlatyPS 1.0 markdown schema (2024-05-01), read the
/// way Import-MarkdownCommandHelp reads it: YAML front matter, "## " sections, "### " entries with their fenced
/// blocks, and each parameter's YAML block.
/// </summary>
internal sealed partial class HelpPage
{
    public static readonly string[] SectionOrder = { "SYNOPSIS", "SYNTAX", "ALIASES", "DESCRIPTION", "EXAMPLES", "PARAMETERS", "INPUTS", "OUTPUTS", "NOTES", "RELATED LINKS" };

    private HelpPage(string path, string text)
    {
        Path = path;
        Text = text.Replace("\r\n", "\n");
        string[] lines = Text.Split('\n');
        if (lines[0] != "---")
        {
            throw new FormatException($"{path}: no YAML front matter");
        }

        int end = Array.IndexOf(lines, "---", 1);
        FrontMatter = lines[1..end].Select(l => l.Split(':', 2)).ToDictionary(kv => kv[0].Trim(), kv => kv.Length > 1 ? kv[1].Trim() : string.Empty);
        Title = lines.Skip(end + 1).First(l => l.StartsWith("# ", StringComparison.Ordinal))[2..];

        string? section = null;
        foreach (string line in lines.Skip(end + 1))
        {
            if (line.StartsWith("## ", StringComparison.Ordinal))
            {
                section = line[3..];
                Sections.Add(section);
                Entries[section] = new List<Entry>();
                SectionText[section] = string.Empty;
            }
            else if (line.StartsWith("### ", StringComparison.Ordinal) && section != null)
            {
                Entries[section].Add(new Entry(line[4..]));
            }
            else if (section != null && Entries[section].Count > 0)
            {
                Entries[section][^1].Lines.Add(line);
            }
            else if (section != null)
            {
                SectionText[section] += line + "\n";
            }
        }
    }

    public string Path { get; }

    public string Text { get; }

    public IReadOnlyDictionary<string, string> FrontMatter { get; }

    public string Title { get; }

    public List<string> Sections { get; } = new();

    public Dictionary<string, List<Entry>> Entries { get; } = new();

    /// <summary>A section's own text, before its first "### " entry.</summary>
    public Dictionary<string, string> SectionText { get; } = new();

    /// <summary>"### -Name" entries of PARAMETERS, by name without the dash.</summary>
    public IReadOnlyDictionary<string, Entry> Parameters =>
        Entries["PARAMETERS"].Where(e => e.Heading.StartsWith('-')).ToDictionary(e => e.Heading[1..]);

    public IReadOnlyList<Entry> Examples => Entries["EXAMPLES"];

    /// <summary>"- [text](target)" items of RELATED LINKS.</summary>
    public IReadOnlyList<(string Text, string Target)> RelatedLinks =>
        Link().Matches(SectionText.GetValueOrDefault("RELATED LINKS") ?? string.Empty).Select(m => (m.Groups[1].Value, m.Groups[2].Value)).ToList();

    public static HelpPage Load(string path) => new(path, File.ReadAllText(path));

    /// <summary>Strips a "PS C:\&gt; " prompt, which PlatyPS examples may carry, so the code parses.</summary>
    public static string WithoutPrompts(string code) => Prompt().Replace(code, string.Empty);

    [GeneratedRegex(@"(?m)^PS [^>]*> ?")]
    private static partial Regex Prompt();

    [GeneratedRegex(@"(?m)^- \[([^\]]+)\]\(([^)]*)\)\s*$")]
    private static partial Regex Link();

    internal sealed class Entry
    {
        public Entry(string heading) => Heading = heading;

        public string Heading { get; }

        public List<string> Lines { get; } = new();

        /// <summary>The text before the first fenced block: a parameter's description, an input's or output's.</summary>
        public string Description => string.Join("\n", Lines.TakeWhile(l => !l.StartsWith("```", StringComparison.Ordinal))).Trim();

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

        /// <summary>The parameter's YAML block as the 1.0 schema writes it.</summary>
        public ParameterYaml Parameter() => ParameterYaml.Parse(Blocks("yaml").Single());
    }

    /// <summary>One parameter set of a parameter, as its YAML block lists it.</summary>
    internal sealed record ParameterSetYaml(string Name, string Position, bool IsRequired, bool ValueFromPipeline, bool ValueFromPipelineByPropertyName);

    /// <summary>
    /// A parameter's YAML block. The schema uses a small YAML subset: "Key: value", "Key: []", and "Key:" followed by
    /// "- item" lines or, for ParameterSets, "- Name: x" items with indented "Key: value" lines.
    /// </summary>
    internal sealed record ParameterYaml(string Type, IReadOnlyList<string> Aliases, IReadOnlyList<ParameterSetYaml> ParameterSets, IReadOnlyDictionary<string, string> Scalars)
    {
        public static ParameterYaml Parse(string yaml)
        {
            var scalars = new Dictionary<string, string>(StringComparer.Ordinal);
            var lists = new Dictionary<string, List<Dictionary<string, string>>>(StringComparer.Ordinal);
            string? listKey = null;
            foreach (string line in yaml.Split('\n').Where(l => l.Trim().Length > 0))
            {
                if (line.StartsWith("- ", StringComparison.Ordinal) && listKey != null)
                {
                    var item = new Dictionary<string, string>(StringComparer.Ordinal);
                    string[] pair = line[2..].Split(':', 2);
                    item[pair.Length == 2 ? pair[0].Trim() : string.Empty] = Unquote(pair[^1]);
                    lists[listKey].Add(item);
                }
                else if (line.StartsWith("  ", StringComparison.Ordinal) && listKey != null && lists[listKey].Count > 0)
                {
                    string[] pair = line.Split(':', 2);
                    lists[listKey][^1][pair[0].Trim()] = Unquote(pair[1]);
                }
                else
                {
                    string[] pair = line.Split(':', 2);
                    string key = pair[0].Trim();
                    string value = pair.Length > 1 ? pair[1].Trim() : string.Empty;
                    listKey = null;
                    if (value.Length == 0 || value == "[]")
                    {
                        listKey = key;
                        lists[key] = new List<Dictionary<string, string>>();
                    }
                    else
                    {
                        scalars[key] = Unquote(value);
                    }
                }
            }

            if (!scalars.TryGetValue("Type", out string? type) || !lists.TryGetValue("Aliases", out var aliases) || !lists.TryGetValue("ParameterSets", out var sets))
            {
                throw new FormatException($"A parameter's YAML block needs Type, Aliases and ParameterSets:\n{yaml}");
            }

            return new ParameterYaml(
                type,
                aliases.Select(a => a[string.Empty]).ToList(),
                sets.Select(s => new ParameterSetYaml(s["Name"], s["Position"], bool.Parse(s["IsRequired"]), bool.Parse(s["ValueFromPipeline"]), bool.Parse(s["ValueFromPipelineByPropertyName"]))).ToList(),
                scalars);
        }

        private static string Unquote(string value)
        {
            value = value.Trim();
            return value.Length >= 2 && value[0] == '\'' && value[^1] == '\'' ? value[1..^1].Replace("''", "'", StringComparison.Ordinal) : value;
        }
    }
}
