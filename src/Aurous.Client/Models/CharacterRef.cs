namespace Aurous.Client;

/// <summary>One reference image. <see cref="Url"/> carries a token: never log it unredacted.</summary>
public sealed class CharacterRef
{
    public CharacterPose Pose { get; set; }
    public string Url { get; set; } = "";

    public override string ToString() => $"{Pose}: {AurousRedactor.Redact(Url)}";
}
