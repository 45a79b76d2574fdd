namespace Aurous.Client;

/// <summary>One row of <see cref="AurousErrors"/>.</summary>
public readonly struct AurousErrorInfo
{
    public AurousErrorInfo(string errorId, AurousErrorCategory category)
    {
        ErrorId = errorId;
        Category = category;
    }

    public string ErrorId { get; }
    public AurousErrorCategory Category { get; }

    public override string ToString() => $"{ErrorId} ({Category})";
}
