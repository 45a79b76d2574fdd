using System;

namespace Aurous.Client;

/// <summary>
/// Input rules checked before any request, so bad input costs no round trip and never a credit.
/// Public so the module can check one pipeline item without building a client.
/// </summary>
public static class AurousValidation
{
    public const int MaxNameLength = 80;
    public const int MaxIdempotencyKeyLength = 256;
    public const int MaxIdLength = 128;

    /// <summary>Ids are opaque but go into the URL path: letters, digits, '_', '-' and '.' only.</summary>
    public static string CharacterId(string? id, string parameterName = "Id")
    {
        if (string.IsNullOrWhiteSpace(id))
        {
            throw new AurousValidationException("A character id is required.", AurousErrors.InvalidCharacterId, parameterName);
        }

        if (id!.Length > MaxIdLength || !IsIdText(id))
        {
            throw new AurousValidationException(
                $"'{Shorten(id)}' is not a character id: ids contain only letters, digits, '_', '-' and '.', at most {MaxIdLength} characters (e.g. char_01HXMQ7Z3K8Y2NABCDEFGHJKMR).",
                AurousErrors.InvalidCharacterId,
                parameterName);
        }

        return id;
    }

    public static string Name(string? name, string parameterName = "Name")
    {
        if (string.IsNullOrWhiteSpace(name) || name!.Length > MaxNameLength)
        {
            throw new AurousValidationException(
                $"A character name must be 1 to {MaxNameLength} characters and not blank; got {(name is null ? "none" : name.Length + " characters")}.",
                AurousErrors.InvalidCharacterName,
                parameterName);
        }

        return name;
    }

    public static CharacterPose Pose(CharacterPose pose, string parameterName = "Pose")
    {
        if (pose == CharacterPose.Unknown || !Enum.IsDefined(typeof(CharacterPose), pose))
        {
            throw new AurousValidationException(
                "A pose is required: portrait, front, side, back or other.",
                AurousErrors.InvalidPose,
                parameterName);
        }

        return pose;
    }

    /// <summary>1 to 256 printable ASCII characters: the key travels in an HTTP header.</summary>
    public static string IdempotencyKey(string key, string parameterName = "IdempotencyKey")
    {
        var printable = true;
        foreach (var c in key)
        {
            printable &= c >= 0x21 && c <= 0x7E;
        }

        if (key.Length == 0 || key.Length > MaxIdempotencyKeyLength || !printable)
        {
            throw new AurousValidationException(
                $"An idempotency key must be 1 to {MaxIdempotencyKeyLength} printable ASCII characters without spaces.",
                AurousErrors.InvalidIdempotencyKey,
                parameterName);
        }

        return key;
    }

    private static bool IsIdText(string id)
    {
        foreach (var c in id)
        {
            var ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' || c == '-' || c == '.';
            if (!ok)
            {
                return false;
            }
        }

        return id != "." && id != "..";
    }

    private static string Shorten(string text) => text.Length <= 40 ? text : text.Substring(0, 40) + "…";
}
