using System;

namespace Aurous.Client;

/// <summary>
/// Where a raw request (<see cref="AurousClient.SendAsync(AurousRequest, System.Threading.CancellationToken)"/>)
/// goes and how the client treats it: the documented /v1 character routes draw from their own buckets and are
/// described with their cost; any other route gets the strictest bucket shape, in a bucket of its own. A path
/// is only ever resolved against the API's base URI: the key never goes to another host.
/// </summary>
public sealed class AurousRoute
{
    private AurousRoute(string method, string relativeUri, string bucket, string? name, int generations)
    {
        Method = method;
        RelativeUri = relativeUri;
        Bucket = bucket;
        Name = name;
        Generations = generations;
    }

    /// <summary>GET, POST, PATCH or DELETE.</summary>
    public string Method { get; }

    /// <summary>"/v1/characters?limit=5": the path and query under the base URI, as people read it.</summary>
    public string Path => "/" + RelativeUri;

    public string Bucket { get; }

    /// <summary>The documented operation ("get", "list", "resynthesize", …); null for a route the client does not know.</summary>
    public string? Name { get; }

    /// <summary>Credits a known paid route spends; 0 for free or unknown routes.</summary>
    public int Generations { get; }

    /// <summary>Under /v1/characters, where a 404 means the character is gone; elsewhere it means some other resource.</summary>
    public bool IsCharacterRoute => Name is not null;

    /// <summary>Relative to the base URI, so a base with a path prefix keeps it.</summary>
    internal string RelativeUri { get; }

    public static readonly string[] Methods = { "GET", "POST", "PATCH", "DELETE" };

    /// <summary>
    /// A path under the base URI ("/v1/images/estimate", "v1/characters?limit=5"), or an absolute URL on the base
    /// URI's own scheme, host and port.
    /// </summary>
    /// <exception cref="AurousValidationException">InvalidRequestPath or InvalidConfiguration (the method).</exception>
    public static AurousRoute Resolve(Uri baseUri, string method, string path)
    {
        if (baseUri is null)
        {
            throw new ArgumentNullException(nameof(baseUri));
        }

        var verb = (method ?? "").Trim().ToUpperInvariant();
        if (Array.IndexOf(Methods, verb) < 0)
        {
            throw new AurousValidationException($"The method must be GET, POST, PATCH or DELETE; got '{method}'.", AurousErrors.InvalidConfiguration, "Method");
        }

        var target = Target(baseUri, path);
        var basePath = baseUri.AbsolutePath.EndsWith("/", StringComparison.Ordinal) ? baseUri.AbsolutePath : baseUri.AbsolutePath + "/";
        var relative = target.PathAndQuery.Substring(basePath.Length);
        var (bucket, name, generations) = Classify(verb, target.AbsolutePath.Substring(basePath.Length));
        return new AurousRoute(verb, relative, bucket, name, generations);
    }

    public override string ToString() => $"{Method} {Path}";

    private static Uri Target(Uri baseUri, string path)
    {
        if (string.IsNullOrWhiteSpace(path))
        {
            throw InvalidPath("A path is required, such as /v1/characters.");
        }

        foreach (var c in path)
        {
            if (char.IsWhiteSpace(c) || char.IsControl(c))
            {
                throw InvalidPath($"The path '{path.Trim()}' contains spaces or control characters; escape them (%20) or check how it was built.");
            }
        }

        if (path.IndexOf('#') >= 0)
        {
            throw InvalidPath($"The path '{path}' has a fragment (#…), which never reaches a server; leave it out.");
        }

        // "/v1/x" parses as an absolute file: URI on Unix, so only http(s) counts as a URL here.
        var target = Uri.TryCreate(path, UriKind.Absolute, out var absolute) && (absolute.Scheme == Uri.UriSchemeHttp || absolute.Scheme == Uri.UriSchemeHttps)
            ? absolute
            : new Uri(baseUri, path.TrimStart('/', '\\'));

        var basePath = baseUri.AbsolutePath.EndsWith("/", StringComparison.Ordinal) ? baseUri.AbsolutePath : baseUri.AbsolutePath + "/";
        var sameServer = string.Equals(target.Scheme, baseUri.Scheme, StringComparison.OrdinalIgnoreCase)
            && string.Equals(target.Host, baseUri.Host, StringComparison.OrdinalIgnoreCase)
            && target.Port == baseUri.Port;
        if (!sameServer || !target.AbsolutePath.StartsWith(basePath, StringComparison.Ordinal))
        {
            throw InvalidPath($"Refusing to send the API key to {target.GetLeftPart(UriPartial.Path)}: requests go only to {baseUri.GetLeftPart(UriPartial.Path)}. Give a path such as /v1/characters, or change the endpoint with Connect-Aurous -BaseUri.");
        }

        return target;
    }

    private static (string Bucket, string? Name, int Generations) Classify(string method, string path)
    {
        var segments = path.TrimEnd('/').Split('/');
        if (segments.Length < 2 || segments[0] != "v1" || segments[1] != "characters")
        {
            return (AurousRateLimits.UnknownRouteBucket, null, 0);
        }

        var action = segments.Length switch
        {
            2 => method == "GET" ? "list" : method == "POST" ? "create" : null,
            3 => method switch { "GET" => "get", "PATCH" => "update", "DELETE" => "delete", _ => null },
            4 when method == "POST" => segments[3] switch { "save" => "save", "resynthesize" => "resynthesize", _ => null },
            5 when method == "POST" && segments[3] == "refs" && segments[4] == "regenerate" => "regenerate",
            _ => null,
        };

        return action switch
        {
            "list" or "get" => (AurousRateLimits.CharactersGetBucket, action, 0),
            "update" or "delete" or "save" => (AurousRateLimits.CharactersPostBucket, action, 0),
            "create" => (AurousRateLimits.CharactersSynthesizeBucket, action, AurousOperations.CreditCosts.Create),
            "resynthesize" => (AurousRateLimits.CharactersSynthesizeBucket, action, AurousOperations.CreditCosts.Resynthesize),
            "regenerate" => (AurousRateLimits.CharactersSynthesizeBucket, action, AurousOperations.CreditCosts.RegenerateRef),
            _ => (AurousRateLimits.UnknownRouteBucket, null, 0),
        };
    }

    private static AurousValidationException InvalidPath(string message) => new(message, AurousErrors.InvalidRequestPath, "Path");
}
