namespace Aurous.Emulator;

internal static class RequestExtensions
{
    /// <summary>
    /// The address the caller used, so ref URLs point back at this emulator whatever port it got. Kestrel lets
    /// through Host values no URL can hold (a port of 99999): that is the caller's header, so a 400, not a 500.
    /// </summary>
    public static Uri BaseUri(this HttpRequest request) =>
        Uri.TryCreate($"{request.Scheme}://{request.Host}/", UriKind.Absolute, out var uri)
            ? uri
            : throw ApiErrors.InvalidRequest($"The Host header '{request.Host}' is not a host and port a URL can be built from (ref URLs point back at it).", "Host");
}
