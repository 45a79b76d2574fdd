using System.Collections;
using System.IO.Compression;
using System.Xml.Linq;
using Xunit;

namespace Aurous.Packaging.Tests;

/// <summary>The .nupkg is what Publish-PSResource would push to the Gallery for this layout and manifest.</summary>
public sealed class PackageTests
{
    private static readonly XNamespace Nuspec = "http://schemas.microsoft.com/packaging/2011/08/nuspec.xsd";
    private readonly Hashtable _manifest = ModulePackage.ReadManifest(ModulePackage.LayoutManifestPath);

    [Fact]
    public void The_package_holds_exactly_the_layout_plus_the_nuspec_and_the_package_parts()
    {
        using ZipArchive zip = ZipFile.OpenRead(ModulePackage.PackagePath);
        string[] entries = zip.Entries.Select(e => e.FullName).ToArray();
        Assert.Equal(entries.Length, entries.Distinct(StringComparer.OrdinalIgnoreCase).Count());

        string[] packageParts = entries.Where(e => e == "Aurous.nuspec" || e == "[Content_Types].xml" || e == "_rels/.rels" || e.StartsWith("package/services/metadata/core-properties/", StringComparison.Ordinal)).ToArray();
        Assert.Equal(4, packageParts.Length);
        Assert.Equal(ModulePackage.LayoutFiles(), entries.Except(packageParts).OrderBy(e => e, StringComparer.Ordinal));

        foreach (string file in ModulePackage.LayoutFiles())
        {
            using var stream = new MemoryStream();
            using (Stream entry = zip.GetEntry(file)!.Open())
            {
                entry.CopyTo(stream);
            }

            Assert.True(stream.ToArray().AsSpan().SequenceEqual(File.ReadAllBytes(Path.Combine(ModulePackage.LayoutDirectory, file))), $"{file} differs from the layout");
        }
    }

    [Fact]
    public void The_nuspec_carries_the_manifest_metadata_and_the_gallery_tags()
    {
        XElement metadata = ReadNuspec().Root!.Element(Nuspec + "metadata")!;
        string Get(string name) => metadata.Element(Nuspec + name)?.Value ?? throw new Xunit.Sdk.XunitException($"nuspec has no <{name}>");
        var psData = (Hashtable)((Hashtable)_manifest["PrivateData"]!)["PSData"]!;

        Assert.Equal("Aurous", Get("id"));
        Assert.Equal(ModulePackage.Version, Get("version"));
        Assert.Equal(_manifest["ModuleVersion"], Get("version"));
        Assert.Equal(_manifest["Author"], Get("authors"));
        Assert.Equal(_manifest["Description"], Get("description"));
        Assert.Equal(_manifest["Copyright"], Get("copyright"));
        Assert.Equal(psData["ProjectUri"], Get("projectUrl"));
        Assert.Equal(psData["LicenseUri"], Get("licenseUrl"));
        Assert.Equal(psData["ReleaseNotes"], Get("releaseNotes"));

        string[] tags = Get("tags").Split(' ', StringSplitOptions.RemoveEmptyEntries);
        Assert.Subset(tags.ToHashSet(), ModulePackage.Strings(psData["Tags"]).ToHashSet());
        Assert.Contains("PSModule", tags);
        Assert.Contains("PSIncludes_Cmdlet", tags);
        Assert.Contains("PSEdition_Desktop", tags);
        Assert.Contains("PSEdition_Core", tags);
        string[] cmdlets = ModulePackage.Strings(_manifest["CmdletsToExport"]);
        Assert.Equal(22, cmdlets.Length);
        Assert.All(cmdlets, c =>
        {
            Assert.Contains("PSCmdlet_" + c, tags);
            Assert.Contains("PSCommand_" + c, tags);
        });
    }

    [Fact]
    public void The_license_the_manifest_links_is_the_repositorys_MIT_LICENSE()
    {
        var psData = (Hashtable)((Hashtable)_manifest["PrivateData"]!)["PSData"]!;
        Assert.Equal($"{psData["ProjectUri"]}/blob/main/LICENSE", psData["LicenseUri"]);

        string license = File.ReadAllText(Path.Combine(ModulePackage.RepositoryRoot, "LICENSE"));
        Assert.StartsWith("MIT License\n\nCopyright (c) ", license.Replace("\r\n", "\n"), StringComparison.Ordinal);
        Assert.Contains($" {_manifest["CompanyName"]}\n", license.Replace("\r\n", "\n"), StringComparison.Ordinal);
        Assert.Contains("Permission is hereby granted, free of charge, to any person obtaining a copy", license, StringComparison.Ordinal);
    }

    [Fact]
    public void The_package_carries_the_help()
    {
        using ZipArchive zip = ZipFile.OpenRead(ModulePackage.PackagePath);
        Assert.NotNull(zip.GetEntry("en-US/Aurous.PowerShell.dll-Help.xml"));
        Assert.NotNull(zip.GetEntry("en-US/about_Aurous.help.txt"));
    }

    [Fact]
    public void The_package_is_named_for_its_id_and_version_and_declares_every_content_type()
    {
        Assert.Equal($"Aurous.{ModulePackage.Version}.nupkg", Path.GetFileName(ModulePackage.PackagePath));

        using ZipArchive zip = ZipFile.OpenRead(ModulePackage.PackagePath);
        XNamespace ct = "http://schemas.openxmlformats.org/package/2006/content-types";
        XDocument types = XDocument.Load(zip.GetEntry("[Content_Types].xml")!.Open());
        var declared = types.Root!.Elements(ct + "Default").Select(d => (string)d.Attribute("Extension")!).ToHashSet(StringComparer.OrdinalIgnoreCase);
        Assert.All(zip.Entries.Where(e => e.FullName != "[Content_Types].xml"), e => Assert.Contains(Path.GetExtension(e.FullName).TrimStart('.'), declared));

        XNamespace r = "http://schemas.openxmlformats.org/package/2006/relationships";
        XDocument rels = XDocument.Load(zip.GetEntry("_rels/.rels")!.Open());
        Assert.All(rels.Root!.Elements(r + "Relationship"), rel => Assert.NotNull(zip.GetEntry(((string)rel.Attribute("Target")!).TrimStart('/'))));
    }

    [Fact]
    public void NuGet_itself_installs_the_package_as_exactly_the_layout()
    {
        // The NuGet client PSResourceGet builds on, from a folder feed: it validates the package and extracts it
        // the way Install-PSResource lays a module out.
        string work = Directory.CreateTempSubdirectory("aurous-nupkg-").FullName;
        try
        {
            string feed = Directory.CreateDirectory(Path.Combine(work, "feed")).FullName;
            string installed = Path.Combine(work, "packages");
            File.Copy(ModulePackage.PackagePath, Path.Combine(feed, Path.GetFileName(ModulePackage.PackagePath)));
            File.WriteAllText(Path.Combine(work, "restore.csproj"), $"""
                <Project Sdk="Microsoft.NET.Sdk">
                  <PropertyGroup>
                    <TargetFramework>net10.0</TargetFramework>
                    <RestoreSources>{feed}</RestoreSources>
                    <RestorePackagesPath>{installed}</RestorePackagesPath>
                  </PropertyGroup>
                  <ItemGroup>
                    <PackageDownload Include="Aurous" Version="[{ModulePackage.Version}]" />
                  </ItemGroup>
                </Project>
                """);
            File.WriteAllText(Path.Combine(work, "Directory.Build.props"), "<Project />");

            var start = new System.Diagnostics.ProcessStartInfo(Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet", "restore restore.csproj")
            {
                WorkingDirectory = work,
                RedirectStandardOutput = true,
                RedirectStandardError = true,
            };
            using var restore = System.Diagnostics.Process.Start(start)!;
            string log = restore.StandardOutput.ReadToEnd() + restore.StandardError.ReadToEnd();
            Assert.True(restore.WaitForExit(120_000), "restore did not finish");
            Assert.True(restore.ExitCode == 0, log);

            string folder = Path.Combine(installed, "aurous", ModulePackage.Version);
            string[] nugetOwn = { ".nupkg.metadata", "aurous.nuspec", $"aurous.{ModulePackage.Version}.nupkg", $"aurous.{ModulePackage.Version}.nupkg.sha512" };
            var extracted = Directory.GetFiles(folder, "*", SearchOption.AllDirectories)
                .Select(f => Path.GetRelativePath(folder, f).Replace('\\', '/'))
                .Except(nugetOwn)
                .OrderBy(f => f, StringComparer.Ordinal);
            Assert.Equal(ModulePackage.LayoutFiles(), extracted);
        }
        finally
        {
            Directory.Delete(work, recursive: true);
        }
    }

    private static XDocument ReadNuspec()
    {
        using ZipArchive zip = ZipFile.OpenRead(ModulePackage.PackagePath);
        using Stream stream = zip.GetEntry("Aurous.nuspec")!.Open();
        return XDocument.Load(stream);
    }
}
