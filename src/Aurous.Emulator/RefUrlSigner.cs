using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace Aurous.Emulator;

/// <summary>
/// Mints and checks the opaque proxy URLs in refs[].url: an HMAC over character, pose, generation and
/// expiry, with a secret of the emulator's own so a token cannot be forged or carried to another emulator. The
/// secret is random per process, or kept in the --data folder so URLs handed out before a restart still open.
/// </summary>
internal sealed class RefUrlSigner(TimeProvider clock, TimeSpan lifetime, byte[] secret)
{

    public string Sign(Uri baseUri, string characterId, string pose, int generation)
    {
        var expires = (clock.GetUtcNow() + lifetime).ToUnixTimeSeconds();
        var token = expires.ToString(CultureInfo.InvariantCulture) + "." + Mac(characterId, pose, generation, expires);
        return new Uri(baseUri, $"storage/{characterId}/{pose}-{generation}.png?token={token}").ToString();
    }

    /// <summary>Throws 403 for a forged, malformed or expired token.</summary>
    public void Verify(string characterId, string pose, int generation, string? token)
    {
        var dot = token?.IndexOf('.') ?? -1;
        if (token is null || dot < 1 || !long.TryParse(token.AsSpan(0, dot), NumberStyles.None, CultureInfo.InvariantCulture, out var expires))
        {
            throw Forbidden("invalid_url_token", "The ref URL token is missing or malformed.");
        }

        var expected = Encoding.ASCII.GetBytes(Mac(characterId, pose, generation, expires));
        var given = Encoding.ASCII.GetBytes(token[(dot + 1)..]);
        if (!CryptographicOperations.FixedTimeEquals(expected, given))
        {
            throw Forbidden("invalid_url_token", "The ref URL token is not valid for this image.");
        }

        if (clock.GetUtcNow().ToUnixTimeSeconds() >= expires)
        {
            throw Forbidden("url_expired", "The ref URL has expired. Fetch the character again for a fresh URL.");
        }
    }

    private string Mac(string characterId, string pose, int generation, long expires)
    {
        var payload = Encoding.UTF8.GetBytes($"{characterId}\n{pose}\n{generation}\n{expires}");
        return Base64Url(HMACSHA256.HashData(secret, payload));
    }

    private static string Base64Url(byte[] bytes) =>
        Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    private static ApiException Forbidden(string code, string message) =>
        new(403, "invalid_request_error", code, message, "token");
}
