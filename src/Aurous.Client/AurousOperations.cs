using System;

namespace Aurous.Client;

/// <summary>ShouldProcess texts, so -WhatIf and -Confirm name the credits a call spends.</summary>
public static class AurousOperations
{
    /// <summary>Generations each paid call spends.</summary>
    public static class CreditCosts
    {
        public const int RegenerateRef = 1;
        public const int Resynthesize = 4;
        public const int Create = 4;
    }

    public static string Resynthesize(bool forceAll) => throw new NotImplementedException();
    public static string RegenerateRef(CharacterPose pose) => throw new NotImplementedException();
    public static string Create(string name) => throw new NotImplementedException();
    public static string Save() => throw new NotImplementedException();
    public static string Update(CharacterUpdate update) => throw new NotImplementedException();
    public static string Delete() => throw new NotImplementedException();
    public static string Target(string id, string? name) => throw new NotImplementedException();
}
