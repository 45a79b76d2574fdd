namespace Aurous.Client;

/// <summary>
/// One ref image downloaded to show it (Show-AurousCharacter): its bytes and media type, and for a PNG the size its
/// header gives; or the error that kept it from being shown.
/// </summary>
public sealed class RefImage
{
    internal RefImage(Character character, CharacterPose pose, string? mediaType, byte[]? bytes, PngSize? size, AurousException? error)
    {
        Character = character;
        Pose = pose;
        MediaType = mediaType;
        Bytes = bytes;
        Size = size;
        Error = error;
    }

    public Character Character { get; }

    public CharacterPose Pose { get; }

    /// <summary>"image/png", "image/jpeg", …; null when the download failed.</summary>
    public string? MediaType { get; }

    /// <summary>The image as downloaded; null when the download failed.</summary>
    public byte[]? Bytes { get; }

    /// <summary>Width and height from the PNG header; null for other formats and failed downloads.</summary>
    public PngSize? Size { get; }

    public AurousException? Error { get; }

    /// <summary>"the front ref of char_… (Aurora)", for messages.</summary>
    public string Description => RefFiles.Describe(Character, Pose);

    /// <summary>"Front", as the poses are written everywhere else in the module.</summary>
    public string PoseName => Pose.ToString();
}
