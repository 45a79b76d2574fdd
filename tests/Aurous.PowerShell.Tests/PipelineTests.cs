using System.Diagnostics;
using System.Management.Automation;
using Pwsh = System.Management.Automation.PowerShell;
using Xunit;

namespace Aurous.PowerShell.Tests;

/// <summary>Get | Wait | Save and friends through the real engine against the emulator.</summary>
public sealed class PipelineTests : IClassFixture<ModuleFixture>
{
    private readonly EmulatorFixture _emulator;
    private readonly PowerShellSession _session;

    public PipelineTests(ModuleFixture fixture)
    {
        _emulator = fixture.Emulator;
        _session = fixture.Session;
    }

    [Fact]
    public async Task Get_Wait_Save_saves_the_good_characters_and_reports_the_failed_one()
    {
        string[] ids = await _emulator.CreateCharactersAsync(3, "Pipeline");
        await _emulator.FinishAsync(ids[0]);
        await _emulator.FinishAsync(ids[1], "failed", "moderation rejected the prompt");
        await _emulator.FinishAsync(ids[2]);

        PsResult result = _session.Invoke("Get-AurousCharacter -Id $args[0] | Wait-AurousCharacter -PollIntervalSec 0.1 | Save-AurousCharacter -PassThru", (object)ids);

        Assert.Null(result.Terminating);
        Assert.Equal(new[] { ids[0], ids[2] }.OrderBy(i => i), result.Ids.OrderBy(i => i));
        Assert.All(result.Output, o => Assert.Equal("Ready", o.Get<string>("Status")));
        ErrorRecord failed = Assert.Single(result.Errors);
        Assert.Equal("CharacterFailed", failed.ErrorId());
        Assert.Equal(ids[1], ((PSObject)PSObject.AsPSObject(failed.TargetObject)).Get<string>("Id"));
        Assert.Contains("moderation rejected the prompt", failed.ToString());
        Assert.Equal("failed", (await _emulator.ReadAsync(ids[1])).GetProperty("status").GetString());
        Assert.Equal("ready", (await _emulator.ReadAsync(ids[0])).GetProperty("status").GetString());
    }

    [Fact]
    public async Task Wait_passes_each_character_on_as_soon_as_it_settles()
    {
        string[] ids = await _emulator.CreateCharactersAsync(2, "Streaming");
        using Pwsh ps = _session.Create("$args[0] | Wait-AurousCharacter -PollIntervalSec 0.1 -TimeoutSec 60", (object)ids);
        var output = new PSDataCollection<PSObject>();
        IAsyncResult running = ps.BeginInvoke<object, PSObject>(null, output);

        await _emulator.FinishAsync(ids[1]);
        await Until(() => output.Count == 1);
        Assert.Equal(ids[1], output[0].Get<string>("Id"));
        Assert.False(running.IsCompleted, "the other character is still synthesizing");

        await _emulator.FinishAsync(ids[0]);
        ps.EndInvoke(running);
        Assert.Equal(new[] { ids[1], ids[0] }, output.Select(o => o.Get<string>("Id")));
        Assert.Empty(ps.Streams.Error);
    }

    [Fact]
    public async Task Wait_reports_each_character_still_pending_at_the_timeout()
    {
        string[] ids = await _emulator.CreateCharactersAsync(3, "Slow");
        await _emulator.FinishAsync(ids[0]);

        // 2 s, not 1: the settled character's first poll must land before the deadline even on a loaded machine.
        PsResult result = _session.Invoke("Wait-AurousCharacter -Id $args[0] -TimeoutSec 2 -PollIntervalSec 0.1", (object)ids);

        Assert.True(result.Errors.Count == 2, "errors: " + string.Join(" | ", result.Errors.Select(e => e.FullyQualifiedErrorId + ": " + e)));
        Assert.Equal(new[] { ids[0] }, result.Ids);
        Assert.All(result.Errors, e => Assert.Equal(ErrorCategory.OperationTimeout, e.CategoryInfo.Category));
        Assert.Equal(new[] { ids[1], ids[2] }.OrderBy(i => i), result.Errors.Select(e => (string)e.TargetObject).OrderBy(i => i));
    }

    [Fact]
    public async Task Ctrl_C_ends_a_long_wait_within_a_second()
    {
        string id = await _emulator.CreateCharacterAsync("Never settles");
        // Polls 30 s apart: nothing is written meanwhile, so only cancelling the wait can end it promptly.
        using Pwsh ps = _session.Create("Wait-AurousCharacter -Id $args[0] -TimeoutSec 600 -PollIntervalSec 30", id);
        IAsyncResult running = ps.BeginInvoke();
        await Until(() => ps.InvocationStateInfo.State == PSInvocationState.Running);
        await Task.Delay(300);

        var stopwatch = Stopwatch.StartNew();
        ps.Stop();
        Assert.Throws<PipelineStoppedException>(() => ps.EndInvoke(running));
        stopwatch.Stop();

        Assert.True(stopwatch.Elapsed < TimeSpan.FromSeconds(1), $"Stop took {stopwatch.Elapsed}");
        Assert.Equal(PSInvocationState.Stopped, ps.InvocationStateInfo.State);
    }

    [Fact]
    public async Task One_bad_id_among_good_ones_gives_one_error_and_the_rest_of_the_output()
    {
        string[] ids = await _emulator.CreateCharactersAsync(2, "Mixed");
        const string missing = "char_01HXMQ7Z3K8Y2NNOSUCHCHARACT";

        PsResult result = _session.Invoke("$args[0] | Get-AurousCharacter", (object)new[] { ids[0], missing, ids[1] });

        Assert.Null(result.Terminating);
        Assert.Equal(new[] { ids[0], ids[1] }, result.Ids);
        ErrorRecord error = Assert.Single(result.Errors);
        Assert.Equal("CharacterNotFound", error.ErrorId());
        Assert.Equal(ErrorCategory.ObjectNotFound, error.CategoryInfo.Category);
        Assert.Equal(missing, error.TargetObject);
        Assert.Matches("(?i)request id", error.ToString());
    }

    [Fact]
    public async Task Get_binds_ids_by_property_name_and_from_character_objects()
    {
        string id = await _emulator.CreateCharacterAsync("Bound");

        PsResult byAlias = _session.Invoke("[pscustomobject]@{ CharacterId = $args[0] } | Get-AurousCharacter", id);
        PsResult byObject = _session.Invoke("Get-AurousCharacter $args[0] | Get-AurousCharacter", id);

        byAlias.AssertSucceeded();
        byObject.AssertSucceeded();
        Assert.Equal(new[] { id }, byAlias.Ids);
        Assert.Equal(new[] { id }, byObject.Ids);
        Assert.Equal("Bound", byObject.Output[0].Get<string>("Name"));
    }

    [Fact]
    public async Task Wait_reports_progress_unless_the_preference_silences_it()
    {
        string[] ids = await _emulator.CreateCharactersAsync(2, "Progress");
        await _emulator.FinishAsync(ids[0]);
        await _emulator.FinishAsync(ids[1], "failed", "no");

        PsResult shown = _session.Invoke("Wait-AurousCharacter -Id $args[0] -PollIntervalSec 0.1", (object)ids);
        PsResult silenced = _session.Invoke("$ProgressPreference = 'SilentlyContinue'; Wait-AurousCharacter -Id $args[0] -PollIntervalSec 0.1", (object)ids);

        Assert.Contains(shown.Progress, p => p.StatusDescription == "1 settled, 0 pending, 1 failed");
        Assert.Equal(ProgressRecordType.Completed, shown.Progress.Last().RecordType);
        Assert.Empty(silenced.Progress);
        Assert.Single(silenced.Ids);
    }

    [Fact]
    public async Task Emitted_ids_complete_on_Id_and_poses_complete_on_Pose()
    {
        string id = await _emulator.CreateCharacterAsync("Completed");
        _session.Invoke("Get-AurousCharacter -Id $args[0]", id).AssertSucceeded();

        PsResult ids = _session.Invoke("(TabExpansion2 -inputScript $args[0] -cursorColumn $args[0].Length).CompletionMatches.CompletionText", "Save-AurousCharacter -Id " + id.Substring(0, 10));
        PsResult poses = _session.Invoke("(TabExpansion2 -inputScript $args[0] -cursorColumn $args[0].Length).CompletionMatches.CompletionText", "Invoke-AurousResynthesis -Id x -Pose s");

        Assert.Contains(id, ids.Output.Select(o => o.ToString()));
        Assert.Equal(new[] { "side" }, poses.Output.Select(o => o.ToString()));
    }

    [Fact]
    public async Task Verbose_shows_the_HTTP_lines_and_Debug_the_bodies_on_the_pipeline_thread()
    {
        string id = await _emulator.CreateCharacterAsync("Chatty");

        PsResult quiet = _session.Invoke("Get-AurousCharacter -Id $args[0]", id);
        PsResult loud = _session.Invoke("$DebugPreference = 'Continue'; Get-AurousCharacter -Id $args[0] -Verbose -Debug", id);

        Assert.Empty(quiet.Verbose);
        Assert.Empty(quiet.Debug);
        Assert.Contains(loud.Verbose, v => v.Contains("GET", StringComparison.Ordinal) && v.Contains($"/v1/characters/{id}", StringComparison.Ordinal) && v.Contains("200", StringComparison.Ordinal));
        Assert.Contains(loud.Debug, d => d.Contains("Chatty", StringComparison.Ordinal));
    }

    internal static async Task Until(Func<bool> condition)
    {
        var deadline = Stopwatch.StartNew();
        while (!condition())
        {
            if (deadline.Elapsed > TimeSpan.FromSeconds(10))
            {
                throw new TimeoutException("condition not met in 10 s");
            }

            await Task.Delay(20);
        }
    }
}
