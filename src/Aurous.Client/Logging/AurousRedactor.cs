using System;

namespace Aurous.Client;

/// <summary>Removes secrets from text meant for people: API keys and ref URL tokens.</summary>
public static class AurousRedactor
{
    public static string Redact(string text) => throw new NotImplementedException();
}
