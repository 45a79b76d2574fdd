using System;
using System.Collections.Generic;
using System.IO;
using System.IO.Compression;
using System.Linq;
using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;
using System.Xml.Linq;
using Microsoft.Build.Framework;
using Microsoft.Build.Utilities;

/// <summary>
/// Writes the .nupkg Publish-PSResource would push for the laid-out module: the module files at the package root,
/// a nuspec whose metadata comes from the manifest (the one place it is written), and the OPC parts NuGet expects.
/// The manifest is read with a few patterns that fit the data-only psd1 this repository keeps; the packaging tests
/// compare the result with PowerShell's own parser.
/// </summary>
public sealed class WriteModulePackage : Task
{
    private static readonly XNamespace Nuspec = "http://schemas.microsoft.com/packaging/2011/08/nuspec.xsd";

    [Required]
    public string ManifestPath { get; set; } = "";

    [Required]
    public string LayoutDirectory { get; set; } = "";

    [Required]
    public string PackagePath { get; set; } = "";

    public override bool Execute()
    {
        string manifest = File.ReadAllText(ManifestPath);
        string id = Path.GetFileNameWithoutExtension(ManifestPath);
        string version = Scalar(manifest, "ModuleVersion");
        string[] cmdlets = List(manifest, "CmdletsToExport");

        // The tags PowerShellGet and PSResourceGet derive, so Find-Module -Command and -Tag work on the Gallery.
        var tags = new List<string>(List(manifest, "Tags")) { "PSModule", "PSIncludes_Cmdlet" };
        tags.AddRange(List(manifest, "CompatiblePSEditions").Select(e => "PSEdition_" + e));
        tags.AddRange(cmdlets.Select(c => "PSCmdlet_" + c));
        tags.AddRange(cmdlets.Select(c => "PSCommand_" + c));

        var nuspec = new XDocument(new XDeclaration("1.0", "utf-8", null), new XElement(Nuspec + "package",
            new XElement(Nuspec + "metadata",
                new XElement(Nuspec + "id", id),
                new XElement(Nuspec + "version", version),
                new XElement(Nuspec + "authors", Scalar(manifest, "Author")),
                new XElement(Nuspec + "owners", Scalar(manifest, "CompanyName")),
                new XElement(Nuspec + "requireLicenseAcceptance", "false"),
                new XElement(Nuspec + "licenseUrl", Scalar(manifest, "LicenseUri")),
                new XElement(Nuspec + "projectUrl", Scalar(manifest, "ProjectUri")),
                new XElement(Nuspec + "description", Scalar(manifest, "Description")),
                new XElement(Nuspec + "releaseNotes", Scalar(manifest, "ReleaseNotes")),
                new XElement(Nuspec + "copyright", Scalar(manifest, "Copyright")),
                new XElement(Nuspec + "tags", string.Join(" ", tags.Distinct(StringComparer.OrdinalIgnoreCase))))));

        string[] files = Directory.GetFiles(LayoutDirectory, "*", SearchOption.AllDirectories)
            .Select(f => f.Substring(LayoutDirectory.Length).TrimStart('/', '\\').Replace('\\', '/'))
            .OrderBy(f => f, StringComparer.Ordinal)
            .ToArray();
        string coreProperties = "package/services/metadata/core-properties/" + StableId(id + "/" + version) + ".psmdcp";

        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(PackagePath))!);

        // Written aside and copied over, so a reader (or a concurrent build) never sees half a package.
        string temporary = PackagePath + "." + Guid.NewGuid().ToString("N") + ".tmp";
        try
        {
            using (var zip = ZipFile.Open(temporary, ZipArchiveMode.Create))
            {
                WriteText(zip, id + ".nuspec", nuspec.Declaration + Environment.NewLine + nuspec);
                foreach (string file in files)
                {
                    zip.CreateEntryFromFile(Path.Combine(LayoutDirectory, file), file, CompressionLevel.Optimal);
                }

                WriteText(zip, "_rels/.rels", Relationships(id + ".nuspec", coreProperties));
                WriteText(zip, coreProperties, CoreProperties(id, version, Scalar(manifest, "Author"), Scalar(manifest, "Description"), tags));
                WriteText(zip, "[Content_Types].xml", ContentTypes(files.Select(Path.GetExtension).Where(e => !string.IsNullOrEmpty(e))));
            }

            File.Copy(temporary, PackagePath, overwrite: true);
        }
        finally
        {
            File.Delete(temporary);
        }

        return !Log.HasLoggedErrors;
    }

    private string Scalar(string manifest, string key)
    {
        Match match = Regex.Match(manifest, @"(?m)^\s*" + key + @"\s*=\s*(?:'((?:[^']|'')*)'|""([^""]*)"")");
        if (!match.Success)
        {
            Log.LogError("{0} has no {1} = '...' entry.", ManifestPath, key);
            return "";
        }

        return match.Groups[1].Success ? match.Groups[1].Value.Replace("''", "'") : match.Groups[2].Value;
    }

    private static string[] List(string manifest, string key)
    {
        Match block = Regex.Match(manifest, @"(?ms)^\s*" + key + @"\s*=\s*@\((.*?)\)");
        return block.Success
            ? Regex.Matches(block.Groups[1].Value, @"'((?:[^']|'')*)'|""([^""]*)""").Cast<Match>()
                .Select(m => m.Groups[1].Success ? m.Groups[1].Value.Replace("''", "'") : m.Groups[2].Value).ToArray()
            : new string[0];
    }

    private static void WriteText(ZipArchive zip, string name, string text)
    {
        using (var writer = new StreamWriter(zip.CreateEntry(name, CompressionLevel.Optimal).Open(), new UTF8Encoding(false)))
        {
            writer.Write(text);
        }
    }

    private static string StableId(string text)
    {
        using (var md5 = MD5.Create())
        {
            return new Guid(md5.ComputeHash(Encoding.UTF8.GetBytes(text))).ToString("N");
        }
    }

    private static string Relationships(string nuspec, string coreProperties)
    {
        XNamespace r = "http://schemas.openxmlformats.org/package/2006/relationships";
        return new XElement(r + "Relationships",
            new XElement(r + "Relationship", new XAttribute("Type", "http://schemas.microsoft.com/packaging/2010/07/manifest"), new XAttribute("Target", "/" + nuspec), new XAttribute("Id", "R" + StableId(nuspec).Substring(0, 16))),
            new XElement(r + "Relationship", new XAttribute("Type", "http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties"), new XAttribute("Target", "/" + coreProperties), new XAttribute("Id", "R" + StableId(coreProperties).Substring(0, 16)))).ToString();
    }

    private static string CoreProperties(string id, string version, string author, string description, IEnumerable<string> tags)
    {
        XNamespace cp = "http://schemas.openxmlformats.org/package/2006/metadata/core-properties";
        XNamespace dc = "http://purl.org/dc/elements/1.1/";
        return new XElement(cp + "coreProperties",
            new XAttribute(XNamespace.Xmlns + "dc", dc),
            new XElement(dc + "creator", author),
            new XElement(dc + "description", description),
            new XElement(dc + "identifier", id),
            new XElement(cp + "version", version),
            new XElement(cp + "keywords", string.Join(" ", tags)),
            new XElement(cp + "lastModifiedBy", "Aurous build/Module.targets")).ToString();
    }

    private static string ContentTypes(IEnumerable<string> extensions)
    {
        XNamespace ct = "http://schemas.openxmlformats.org/package/2006/content-types";
        var types = new XElement(ct + "Types",
            new XElement(ct + "Default", new XAttribute("Extension", "rels"), new XAttribute("ContentType", "application/vnd.openxmlformats-package.relationships+xml")),
            new XElement(ct + "Default", new XAttribute("Extension", "psmdcp"), new XAttribute("ContentType", "application/vnd.openxmlformats-package.core-properties+xml")),
            new XElement(ct + "Default", new XAttribute("Extension", "nuspec"), new XAttribute("ContentType", "application/octet")));
        foreach (string extension in extensions.Select(e => e.TrimStart('.').ToLowerInvariant()).Distinct().OrderBy(e => e, StringComparer.Ordinal))
        {
            types.Add(new XElement(ct + "Default", new XAttribute("Extension", extension), new XAttribute("ContentType", "application/octet")));
        }

        return types.ToString();
    }
}
