namespace Aurous.PowerShell
{
    /// <summary>
    /// The module's progress activity ids, in one place so no two bars share one: a shared id lets one bar overwrite
    /// another, and a Completed record for one closes the other. None is 0, the id a user's own Write-Progress uses.
    /// </summary>
    internal static class ProgressActivities
    {
        /// <summary>Wait-AurousCharacter's count of settled and pending characters.</summary>
        public const int WaitForCharacters = 0x4175;

        /// <summary>A rate-limit, Retry-After or backoff wait of any cmdlet (<see cref="WaitProgress"/>).</summary>
        public const int ClientWait = 0x4176;

        /// <summary>Save-AurousCharacterRef's downloads.</summary>
        public const int SaveRefs = 0x4177;

        /// <summary>Invoke-AurousResynthesis -Pose regenerating several poses one after another.</summary>
        public const int RegeneratePoses = 0x4178;

        /// <summary>Show-AurousCharacter's downloads of the images it shows.</summary>
        public const int ShowRefs = 0x4179;
    }
}
