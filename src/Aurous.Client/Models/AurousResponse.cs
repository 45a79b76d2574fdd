namespace Aurous.Client;

/// <summary>The success answer to an <see cref="AurousRequest"/>; errors are thrown as <see cref="AurousException"/>s.</summary>
public sealed class AurousResponse
{
    public AurousResponse(AurousRoute route, string? contentType, string content, AurousResponseInfo info)
    {
        Route = route;
        ContentType = contentType;
        Content = content;
        Info = info;
    }

    public AurousRoute Route { get; }

    /// <summary>The media type, such as application/json; null when the server sent none.</summary>
    public string? ContentType { get; }

    /// <summary>The body as text; empty for 204 and other answers without one.</summary>
    public string Content { get; }

    /// <summary>Status, request id, idempotency key, replay flag and attempts.</summary>
    public AurousResponseInfo Info { get; }

    public bool IsJson => ContentType is not null && (ContentType == "application/json" || ContentType.EndsWith("+json", System.StringComparison.OrdinalIgnoreCase));
}
