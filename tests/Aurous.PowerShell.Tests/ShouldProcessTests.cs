using System.Management.Automation;
using Xunit;

namespace Aurous.PowerShell.Tests;

/// <summary>-WhatIf sends nothing, -Confirm asks first, and every paid call charges exactly what it says.</summary>
public sealed class ShouldProcessTests : IClassFixture<ModuleFixture>
{
    private readonly EmulatorFixture _emulator;
    private readonly PowerShellSession _session;

    public ShouldProcessTests(ModuleFixture fixture)
    {
        _emulator = fixture.Emulator;
        _session = fixture.Session;
        _session.Host.Clear();
    }

    [Fact]
    public async Task WhatIf_names_the_character_and_the_cost_and_spends_nothing()
    {
        string id = await _emulator.CreateReviewingAsync("Aurora");
        EmulatorFixture.Ledger before = await _emulator.LedgerAsync();

        PsResult result = _session.Invoke("Get-AurousCharacter -Id $args[0] | Invoke-AurousResynthesis -WhatIf", id);

        result.AssertSucceeded();
        Assert.Empty(result.Output);
        Assert.Equal(before, await _emulator.LedgerAsync(), LedgerComparer.Instance);
        Assert.Equal("reviewing", (await _emulator.ReadAsync(id)).GetProperty("status").GetString());
        string whatIf = Assert.Single(_session.Host.Lines, l => l.StartsWith("What if:", StringComparison.Ordinal));
        Assert.Contains("Resynthesize all 4 poses (4 generations)", whatIf);
        Assert.Contains($"{id} (Aurora)", whatIf);
    }

    [Fact]
    public async Task Confirm_false_resynthesizes_for_exactly_four_generations_and_emits_the_synthesizing_character()
    {
        string id = await _emulator.CreateReviewingAsync("Paid");
        EmulatorFixture.Ledger before = await _emulator.LedgerAsync();

        PsResult result = _session.Invoke("Invoke-AurousResynthesis -Id $args[0] -Force -Confirm:$false", id);

        result.AssertSucceeded();
        Assert.Equal(new[] { id }, result.Ids);
        Assert.Equal("Synthesizing", result.Output[0].Get<string>("Status"));
        EmulatorFixture.Ledger after = await _emulator.LedgerAsync();
        Assert.Equal(before.Credits - 4, after.Credits);
        EmulatorFixture.Charge charge = Assert.Single(after.Charges.Skip(before.Charges.Count));
        Assert.Equal(("resynthesize", id, 4), (charge.Route, charge.CharacterId, charge.Generations));
    }

    [Fact]
    public async Task One_pose_costs_one_generation()
    {
        string id = await _emulator.CreateReviewingAsync("One pose");
        EmulatorFixture.Ledger before = await _emulator.LedgerAsync();

        PsResult result = _session.Invoke("Invoke-AurousResynthesis -Id $args[0] -Pose front -PromptOverride 'soft light' -Confirm:$false", id);

        result.AssertSucceeded();
        EmulatorFixture.Charge charge = Assert.Single((await _emulator.LedgerAsync()).Charges.Skip(before.Charges.Count));
        Assert.Equal(("regenerate", 1), (charge.Route, charge.Generations));
    }

    [Fact]
    public async Task Confirm_prompts_with_the_cost_and_a_No_sends_nothing()
    {
        string id = await _emulator.CreateReviewingAsync("Asked");
        EmulatorFixture.Ledger before = await _emulator.LedgerAsync();
        _session.Host.ConfirmAnswer = "&No";

        PsResult result = _session.Invoke("Invoke-AurousResynthesis -Id $args[0] -Pose side -Confirm", id);

        result.AssertSucceeded();
        string prompt = Assert.Single(_session.Host.Prompts);
        Assert.Contains("Regenerate the side pose (1 generation)", prompt);
        Assert.Contains(id, prompt);
        Assert.Equal(before, await _emulator.LedgerAsync(), LedgerComparer.Instance);
    }

    [Fact]
    public async Task A_reused_idempotency_key_replays_instead_of_charging_twice()
    {
        string id = await _emulator.CreateReviewingAsync("Replayed");
        EmulatorFixture.Ledger before = await _emulator.LedgerAsync();
        string key = Guid.NewGuid().ToString();

        PsResult first = _session.Invoke("Invoke-AurousResynthesis -Id $args[0] -IdempotencyKey $args[1] -Confirm:$false", id, key);
        PsResult second = _session.Invoke("Invoke-AurousResynthesis -Id $args[0] -IdempotencyKey $args[1] -Confirm:$false", id, key);

        first.AssertSucceeded();
        second.AssertSucceeded();
        Assert.Equal(before.Credits - 4, (await _emulator.LedgerAsync()).Credits);
        Assert.True(second.Output[0].Get<PSObject>("LastResponse").Get<bool>("Replayed"));
    }

    [Fact]
    public async Task A_key_reused_for_another_character_is_refused_without_a_second_charge()
    {
        string first = await _emulator.CreateReviewingAsync("Keyed 1");
        string second = await _emulator.CreateReviewingAsync("Keyed 2");
        EmulatorFixture.Ledger before = await _emulator.LedgerAsync();

        PsResult result = _session.Invoke("$args[0] | Invoke-AurousResynthesis -Pose other -IdempotencyKey $args[1] -Confirm:$false", (object)new[] { first, second }, Guid.NewGuid().ToString());

        Assert.Equal(new[] { first }, result.Ids);
        ErrorRecord error = Assert.Single(result.Errors);
        Assert.Equal("IdempotencyKeyInUse", error.ErrorId());
        Assert.Equal(ErrorCategory.ResourceExists, error.CategoryInfo.Category);
        Assert.Equal(second, error.TargetObject);
        Assert.Equal(before.Credits - 1, (await _emulator.LedgerAsync()).Credits);
    }

    [Fact]
    public async Task New_creates_for_four_generations_and_WhatIf_creates_nothing()
    {
        EmulatorFixture.Ledger before = await _emulator.LedgerAsync();

        PsResult whatIf = _session.Invoke("New-AurousCharacter -Name 'Nova' -Attributes @{ hair_color = 'silver' } -WhatIf");
        Assert.Equal(before, await _emulator.LedgerAsync(), LedgerComparer.Instance);
        Assert.Contains(_session.Host.Lines, l => l.StartsWith("What if:", StringComparison.Ordinal) && l.Contains("Nova"));

        PsResult created = _session.Invoke("New-AurousCharacter -Name 'Nova' -Attributes @{ HairColor = 'silver' } -Confirm:$false");

        whatIf.AssertSucceeded();
        created.AssertSucceeded();
        string id = Assert.Single(created.Ids);
        Assert.Equal("silver", (await _emulator.ReadAsync(id)).GetProperty("attributes").GetProperty("hair_color").GetString());
        Assert.Equal(before.Credits - 4, (await _emulator.LedgerAsync()).Credits);
    }

    [Fact]
    public async Task Remove_deletes_only_when_confirmed()
    {
        string id = await _emulator.CreateReviewingAsync("Doomed");

        PsResult declined = _session.Invoke("Remove-AurousCharacter -Id $args[0]", id);
        Assert.Contains(_session.Host.Prompts, p => p.Contains(id));
        Assert.Equal("reviewing", (await _emulator.ReadAsync(id)).GetProperty("status").GetString());

        PsResult removed = _session.Invoke("Remove-AurousCharacter -Id $args[0] -Confirm:$false", id);
        PsResult gone = _session.Invoke("Get-AurousCharacter -Id $args[0]", id);

        declined.AssertSucceeded();
        removed.AssertSucceeded();
        Assert.Equal("CharacterNotFound", Assert.Single(gone.Errors).ErrorId());
    }

    [Fact]
    public async Task A_paid_call_without_credits_is_a_quota_error_naming_the_character()
    {
        string id = await _emulator.CreateReviewingAsync("Broke");
        await _emulator.SetCreditsAsync(3);
        try
        {
            PsResult result = _session.Invoke("Invoke-AurousResynthesis -Id $args[0] -Confirm:$false", id);

            ErrorRecord error = Assert.Single(result.Errors);
            Assert.Equal("InsufficientCredits", error.ErrorId());
            Assert.Equal(ErrorCategory.QuotaExceeded, error.CategoryInfo.Category);
            Assert.Equal(id, error.TargetObject);
            Assert.Equal(3, (await _emulator.LedgerAsync()).Credits);
        }
        finally
        {
            await _emulator.SetCreditsAsync(1000);
        }
    }

    private sealed class LedgerComparer : IEqualityComparer<EmulatorFixture.Ledger>
    {
        public static readonly LedgerComparer Instance = new();

        public bool Equals(EmulatorFixture.Ledger? x, EmulatorFixture.Ledger? y) =>
            x!.Credits == y!.Credits && x.Charges.SequenceEqual(y.Charges);

        public int GetHashCode(EmulatorFixture.Ledger obj) => obj.Credits;
    }
}
