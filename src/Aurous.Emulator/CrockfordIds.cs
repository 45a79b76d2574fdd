using System.Security.Cryptography;

namespace Aurous.Emulator;

/// <summary>ULID-like ids: 48 bits of milliseconds then 80 random bits, in Crockford base32.</summary>
internal static class CrockfordIds
{
    private const string Alphabet = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";

    public static string NewCharacterId(DateTimeOffset now) => "char_" + NewUlid(now);

    public static string NewRequestId() => "req_" + Random(24);

    public static bool IsCharacterId(string value) =>
        value.Length == 31 && value.StartsWith("char_", StringComparison.Ordinal) && value.AsSpan(5).IndexOfAnyExcept(Alphabet) < 0;

    private static string NewUlid(DateTimeOffset now)
    {
        var chars = new char[26];
        var millis = (ulong)Math.Max(0, now.ToUnixTimeMilliseconds());
        for (var i = 9; i >= 0; i--)
        {
            chars[i] = Alphabet[(int)(millis & 31)];
            millis >>= 5;
        }

        Random(16).CopyTo(0, chars, 10, 16);
        return new string(chars);
    }

    private static string Random(int length) => RandomNumberGenerator.GetString(Alphabet, length);
}
