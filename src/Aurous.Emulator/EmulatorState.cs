namespace Aurous.Emulator;

/// <summary>
/// Teams, characters and ledgers behind one lock. Callers hold <see cref="Sync"/> across a whole request's
/// checks and changes (and its idempotency record), so a request either changes everything or nothing.
/// Synthesis is settled lazily from the clock whenever a character is read. Every change is also noted in the
/// <see cref="IStateStore"/>; settling is not, because it follows from the stored synthesis and the clock alone.
/// </summary>
internal sealed class EmulatorState(EmulatorOptions options, TimeProvider clock, Random dice, IStateStore store)
{
    public const int SynthesisCost = 4;
    public const int RegenerateCost = 1;
    private const string DefaultFailureMessage = "Synthesis failed: the generation pipeline returned no usable image (emulated failure).";

    private readonly Dictionary<string, Team> teams = new(StringComparer.Ordinal);
    private readonly Dictionary<string, StoredCharacter> characters = new(StringComparer.Ordinal);

    public Lock Sync { get; } = new();

    public DateTimeOffset Now => clock.GetUtcNow();

    /// <summary>How many characters are stored, deleted ones included.</summary>
    public int Count => characters.Count;

    /// <summary>
    /// Back to the seeded state: no characters, every team at the initial credits with an empty ledger. Teams stay the
    /// same objects, so a request still in flight charges the team it authenticated as. Caller holds the lock.
    /// </summary>
    public void Reset()
    {
        characters.Clear();
        foreach (var team in teams.Values)
        {
            Clear(team);
        }

        store.ResetAll();
    }

    /// <summary>Takes up the teams and characters a store kept, once, before the server serves anything.</summary>
    public void Restore(IEnumerable<Team> keptTeams, IEnumerable<StoredCharacter> keptCharacters)
    {
        foreach (var team in keptTeams)
        {
            teams[team.Name] = team;
        }

        foreach (var character in keptCharacters)
        {
            characters[character.Id] = character;
        }
    }

    /// <summary>One team back to new: its characters gone, initial credits, empty ledger. Caller holds the lock.</summary>
    public void Reset(Team team)
    {
        foreach (var id in characters.Values.Where(c => c.Team == team.Name).Select(c => c.Id).ToList())
        {
            characters.Remove(id);
        }

        Clear(team);
        store.ResetTeam(team.Name);
    }

    /// <summary>The team an API key names, made on first use (see <see cref="TeamKeys"/>); null for any other key.</summary>
    public Team? TeamByKey(string apiKey) => TeamKeys.NameOf(apiKey) is { } name ? TeamByName(name) : null;

    /// <summary>The named team, made on first use with the initial credits; null for a name no key can hold.</summary>
    public Team? TeamByName(string name)
    {
        if (teams.TryGetValue(name, out var team))
        {
            return team;
        }

        if (!TeamKeys.IsName(name))
        {
            return null;
        }

        team = new Team(name) { Credits = options.InitialCredits };
        teams[name] = team;
        return team;
    }

    /// <summary>The team's live character, or 404 for unknown, deleted and other teams' ids alike.</summary>
    public StoredCharacter Find(Team team, string id)
    {
        var character = Find(id);
        if (character is null || character.Team != team.Name || character.Status == CharacterStatus.Deleted)
        {
            throw ApiErrors.CharacterNotFound();
        }

        return character;
    }

    /// <summary>Any team's character (control surface only), settled to the current clock.</summary>
    public StoredCharacter? Find(string id)
    {
        if (!characters.TryGetValue(id, out var character))
        {
            return null;
        }

        Settle(character);
        return character;
    }

    /// <summary>
    /// One page of the team's live characters, newest first (created_at, then id, descending), after the cursor.
    /// A deleted character still works as a cursor, so deleting one between two pages never breaks the paging;
    /// an unknown id or another team's is refused like any bad parameter, never revealing that it exists.
    /// </summary>
    public (IReadOnlyList<StoredCharacter> Page, bool HasMore) List(Team team, string? startingAfter, int limit)
    {
        var ordered = characters.Values
            .Where(c => c.Team == team.Name)
            .OrderByDescending(c => c.CreatedAt)
            .ThenByDescending(c => c.Id, StringComparer.Ordinal)
            .ToList();
        var start = 0;
        if (startingAfter is not null)
        {
            var cursor = ordered.FindIndex(c => c.Id == startingAfter);
            if (cursor < 0)
            {
                throw ApiErrors.InvalidRequest($"starting_after '{startingAfter}' is not one of the team's characters; pass the last id of the previous page.", "starting_after");
            }

            start = cursor + 1;
        }

        var live = ordered.Skip(start).Where(c => c.Status != CharacterStatus.Deleted).Take(limit + 1).ToList();
        var page = live.Take(limit).ToList();
        page.ForEach(Settle);
        return (page, live.Count > limit);
    }

    public StoredCharacter Create(Team team, string name, CharacterAttributes? attributes, string apiVersion, string? idempotencyKey)
    {
        EnsureCredits(team, SynthesisCost);
        var now = Now;
        var character = new StoredCharacter
        {
            Id = CrockfordIds.NewCharacterId(now),
            Team = team.Name,
            Name = name,
            AurousVersion = apiVersion,
            CreatedAt = now,
            Attributes = attributes,
        };
        StartSynthesis(character, Poses.Synthesized, replaceAll: true, now);
        characters[character.Id] = character;
        store.SaveCharacter(character);
        Debit(team, "create", character.Id, idempotencyKey, SynthesisCost, character.UpdatedAt);
        return character;
    }

    public void Update(StoredCharacter character, string? name, bool setAttributes, CharacterAttributes? attributes)
    {
        if (name is null && !setAttributes)
        {
            return;
        }

        if (name is not null)
        {
            character.Name = name;
        }

        if (setAttributes)
        {
            character.Attributes = attributes;
        }

        character.UpdatedAt = Now;
        store.SaveCharacter(character);
    }

    public void Save(StoredCharacter character)
    {
        switch (character.Status)
        {
            case CharacterStatus.Ready:
                return;
            case CharacterStatus.Reviewing:
                character.Status = CharacterStatus.Ready;
                character.UpdatedAt = Now;
                store.SaveCharacter(character);
                return;
            default:
                throw ApiErrors.InvalidState($"A {Wire(character.Status)} character cannot be saved; only reviewing (or already ready) characters can.");
        }
    }

    public void Resynthesize(Team team, StoredCharacter character, string? idempotencyKey)
    {
        if (character.Status is not (CharacterStatus.Reviewing or CharacterStatus.Ready or CharacterStatus.Failed))
        {
            throw ApiErrors.InvalidState($"A {Wire(character.Status)} character cannot be resynthesized; eligible states are reviewing, ready and failed.");
        }

        EnsureCredits(team, SynthesisCost);
        StartSynthesis(character, Poses.Synthesized, replaceAll: true, Now);
        store.SaveCharacter(character);
        Debit(team, "resynthesize", character.Id, idempotencyKey, SynthesisCost, character.UpdatedAt);
    }

    public void Regenerate(Team team, StoredCharacter character, string pose, string? idempotencyKey)
    {
        if (character.Status == CharacterStatus.Synthesizing)
        {
            throw ApiErrors.InvalidState("A synthesizing character cannot regenerate a ref; wait until it is reviewing, ready or failed.");
        }

        EnsureCredits(team, RegenerateCost);
        StartSynthesis(character, [pose], replaceAll: false, Now);
        store.SaveCharacter(character);
        Debit(team, "regenerate", character.Id, idempotencyKey, RegenerateCost, character.UpdatedAt);
    }

    public void Delete(StoredCharacter character)
    {
        character.Status = CharacterStatus.Deleted;
        character.Pending = null;
        character.UpdatedAt = Now;
        store.SaveCharacter(character);
    }

    /// <summary>Ends a running synthesis now (control surface).</summary>
    public void Finish(StoredCharacter character, bool succeed, string? errorMessage)
    {
        if (character.Pending is null)
        {
            throw ApiErrors.InvalidState($"The character is {Wire(character.Status)}, not synthesizing; there is nothing to finish.");
        }

        Complete(character, succeed, Now, errorMessage);
        store.SaveCharacter(character);
    }

    /// <summary>Sets a team's balance (control surface).</summary>
    public void SetCredits(Team team, int credits)
    {
        team.Credits = credits;
        store.SaveTeam(team);
    }

    public static string Wire(CharacterStatus status) => status.ToString().ToLowerInvariant();

    private void Clear(Team team)
    {
        team.Credits = options.InitialCredits;
        team.Ledger.Clear();
    }

    private static void EnsureCredits(Team team, int cost)
    {
        if (team.Credits < cost)
        {
            throw ApiErrors.InsufficientCredits(cost, team.Credits);
        }
    }

    private void Debit(Team team, string route, string characterId, string? idempotencyKey, int generations, DateTimeOffset at)
    {
        var charge = new Charge(route, characterId, idempotencyKey, generations, CharacterView.Timestamp(at));
        team.Credits -= generations;
        team.Ledger.Add(charge);
        store.SaveTeam(team);
        store.AddCharge(team, charge);
    }

    private void StartSynthesis(StoredCharacter character, IReadOnlyList<string> poses, bool replaceAll, DateTimeOffset now)
    {
        character.Status = CharacterStatus.Synthesizing;
        character.ErrorMessage = null;
        character.UpdatedAt = now;
        character.Pending = new PendingSynthesis(now + TimeSpan.FromSeconds(options.SynthesisSeconds), dice.NextDouble() < options.FailureRate, poses)
        {
            ReplaceAll = replaceAll,
        };
    }

    private void Settle(StoredCharacter character)
    {
        if (character.Pending is { } pending && Now >= pending.EndsAt)
        {
            Complete(character, !pending.WillFail, pending.EndsAt, null);
        }
    }

    private static void Complete(StoredCharacter character, bool succeed, DateTimeOffset at, string? errorMessage)
    {
        var pending = character.Pending!;
        character.Pending = null;
        character.UpdatedAt = at;
        if (!succeed)
        {
            character.Status = CharacterStatus.Failed;
            character.ErrorMessage = string.IsNullOrWhiteSpace(errorMessage) ? DefaultFailureMessage : errorMessage;
            return;
        }

        if (pending.ReplaceAll)
        {
            character.Refs.Clear();
        }

        foreach (var pose in pending.Poses)
        {
            character.Refs.RemoveAll(r => r.Pose == pose);
            character.Refs.Add(new StoredRef(pose, ++character.LastGeneration));
        }

        character.Refs.Sort((a, b) => Poses.Order(a.Pose).CompareTo(Poses.Order(b.Pose)));
        character.Status = CharacterStatus.Reviewing;
        character.ErrorMessage = null;
    }
}
