namespace Aurous.Emulator;

internal static class RequestExtensions
{
    /// <summary>The address the caller used, so ref URLs point back at this emulator whatever port it got.</summary>
    public static Uri BaseUri(this HttpRequest request) => new($"{request.Scheme}://{request.Host}/");
}
