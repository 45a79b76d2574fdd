using System.Collections.Generic;

namespace Aurous.Client;

/// <summary>
/// One ref image to save as <c>&lt;id&gt;-&lt;pose&gt;.&lt;ext&gt;</c> in <see cref="Directory"/>; the extension comes from the
/// content type the download answers with, so it is known only once the file is written.
/// </summary>
public sealed class RefFile
{
    internal RefFile(Character character, CharacterRef reference, string directory, string? existingPath)
    {
        Character = character;
        Ref = reference;
        Directory = directory;
        ExistingPath = existingPath;
    }

    public string CharacterId => Character.Id;

    public CharacterPose Pose => RefFiles.PoseOf(Ref);

    public string Directory { get; }

    /// <summary>"char_…-front": the file name without its extension.</summary>
    public string BaseName => RefFiles.BaseName(Character.Id, Pose);

    /// <summary>A file already saved for this character and pose, whatever its extension; null when there is none.</summary>
    public string? ExistingPath { get; }

    /// <summary>"the front ref of char_… (Aurora)", for messages.</summary>
    public string Description => RefFiles.Describe(Character, Pose);

    internal Character Character { get; }

    internal CharacterRef Ref { get; }

    public override string ToString() => System.IO.Path.Combine(Directory, BaseName + ".*");
}

/// <summary>Which ref files a character gives for the poses asked for, and which poses it has no ref for.</summary>
public sealed class RefPlan
{
    internal RefPlan(IReadOnlyList<RefFile> files, IReadOnlyList<AurousException> missing)
    {
        Files = files;
        Missing = missing;
    }

    public IReadOnlyList<RefFile> Files { get; }

    /// <summary>One RefNotFound error per pose asked for that the character has no ref for.</summary>
    public IReadOnlyList<AurousException> Missing { get; }
}

/// <summary>What became of one <see cref="RefFile"/>: written to <see cref="Path"/>, skipped, or failed with <see cref="Error"/>.</summary>
public sealed class RefFileResult
{
    internal RefFileResult(RefFile file, string? path, bool skipped, long length, AurousException? error)
    {
        File = file;
        Path = path;
        Skipped = skipped;
        Length = length;
        Error = error;
    }

    public RefFile File { get; }

    /// <summary>The file written, or the one that was already there when skipped; null on error.</summary>
    public string? Path { get; }

    /// <summary>A file appeared at the same name while this one downloaded, and overwriting was not asked for.</summary>
    public bool Skipped { get; }

    public long Length { get; }

    public AurousException? Error { get; }
}

/// <summary>What one download gave: its media type, the extension that goes with it, and its length.</summary>
public sealed class RefDownload
{
    internal RefDownload(string? mediaType, string extension, long length)
    {
        MediaType = mediaType;
        Extension = extension;
        Length = length;
    }

    public string? MediaType { get; }

    /// <summary>".png", ".jpg", … or ".bin" for a download without a specific type.</summary>
    public string Extension { get; }

    public long Length { get; }
}
