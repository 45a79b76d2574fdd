using System.Management.Automation;
using Aurous.Emulator;
using Xunit;

namespace Aurous.PowerShell.Tests;

[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class EnvironmentCollection
{
    // The AUROUS_* variables are process-wide, so the tests that set them run alone.
    public const string Name = "Process environment";
}

/// <summary>Connect-Aurous, the environment fallback, and the key kept out of every stream.</summary>
[Collection(EnvironmentCollection.Name)]
public sealed class ContextTests : IClassFixture<EmulatorFixture>, IDisposable
{
    private static readonly string[] Variables = { "AUROUS_API_KEY", "AUROUS_BASE_URL", "AUROUS_VERSION" };
    private readonly EmulatorFixture _emulator;
    private readonly Dictionary<string, string?> _saved = Variables.ToDictionary(v => v, Environment.GetEnvironmentVariable);

    public ContextTests(EmulatorFixture emulator)
    {
        _emulator = emulator;
        foreach (string variable in Variables)
        {
            Environment.SetEnvironmentVariable(variable, null);
        }
    }

    public void Dispose()
    {
        foreach (KeyValuePair<string, string?> variable in _saved)
        {
            Environment.SetEnvironmentVariable(variable.Key, variable.Value);
        }
    }

    [Fact]
    public void Without_any_key_a_call_is_a_terminating_configuration_error()
    {
        using var session = new PowerShellSession();

        // try/catch catches terminating errors only: a non-terminating error per id would not reach the catch.
        PsResult result = session.Invoke("try { 'char_a', 'char_b' | Get-AurousCharacter; 'not reached' } catch { $_ }");

        ErrorRecord error = Assert.IsType<ErrorRecord>(Assert.Single(result.Output).BaseObject);
        Assert.Equal("MissingApiKey", error.ErrorId());
        Assert.Equal(ErrorCategory.AuthenticationError, error.CategoryInfo.Category);
        Assert.Contains("Connect-Aurous", error.ToString());
        Assert.Contains("AUROUS_API_KEY", error.ToString());
        Assert.Empty(result.Errors);
    }

    [Fact]
    public async Task The_environment_variables_are_enough_without_Connect()
    {
        string id = await _emulator.CreateCharacterAsync("From env", EmulatorDefaults.TeamBKey);
        Environment.SetEnvironmentVariable("AUROUS_API_KEY", EmulatorDefaults.TeamBKey);
        Environment.SetEnvironmentVariable("AUROUS_BASE_URL", _emulator.BaseUri.ToString());
        Environment.SetEnvironmentVariable("AUROUS_VERSION", EmulatorDefaults.DefaultApiVersion);
        using var session = new PowerShellSession();

        PsResult result = session.Invoke("Get-AurousCharacter -Id $args[0]", id);
        PsResult context = session.Invoke("Get-AurousContext");

        result.AssertSucceeded();
        Assert.Equal(new[] { id }, result.Ids);
        PSObject shown = Assert.Single(context.Output);
        Assert.Equal("Environment", shown.Get<string>("Source"));
        Assert.Equal(EmulatorDefaults.DefaultApiVersion, shown.Get<string>("ApiVersion"));
        Assert.Equal(_emulator.BaseUri, shown.Get<Uri>("BaseUri"));
    }

    [Fact]
    public async Task Connect_overrides_the_environment_and_Disconnect_falls_back_to_it()
    {
        string teamA = await _emulator.CreateCharacterAsync("Team A's");
        Environment.SetEnvironmentVariable("AUROUS_API_KEY", EmulatorDefaults.TeamBKey);
        Environment.SetEnvironmentVariable("AUROUS_BASE_URL", _emulator.BaseUri.ToString());
        using PowerShellSession session = PowerShellSession.Connected(_emulator.BaseUri, EmulatorDefaults.TeamAKey);

        PsResult connected = session.Invoke("Get-AurousCharacter -Id $args[0]; (Get-AurousContext).Source", teamA);
        PsResult disconnected = session.Invoke("Disconnect-Aurous; Get-AurousCharacter -Id $args[0]; (Get-AurousContext).Source", teamA);

        connected.AssertSucceeded();
        Assert.Equal(teamA, connected.Output[0].Get<string>("Id"));
        Assert.Equal("Session", connected.Output[1].ToString());

        // Team B's key cannot see team A's character: the server answers 404 rather than leak its existence.
        Assert.Equal("CharacterNotFound", Assert.Single(disconnected.Errors).ErrorId());
        Assert.Equal("Environment", disconnected.Output.Single().ToString());
    }

    [Fact]
    public async Task The_key_never_appears_in_any_stream_or_in_the_context()
    {
        string canary = EmulatorDefaults.TeamAKey;
        string id = await _emulator.CreateReviewingAsync("Secret keeper");
        using PowerShellSession session = PowerShellSession.Connected(_emulator.BaseUri, canary);

        PsResult result = session.Invoke(
            """
            $DebugPreference = 'Continue'; $VerbosePreference = 'Continue'
            Get-AurousCharacter -Id $args[0], 'char_missing' -Verbose -Debug
            Set-AurousCharacter -Id $args[0] -HairColor green -PassThru -Verbose -Debug
            Invoke-AurousResynthesis -Id $args[0] -Pose back -Confirm:$false -Verbose -Debug
            Get-AurousContext
            (Get-AurousContext).ToString()
            (Get-AurousContext).PSObject.Properties.Value
            Connect-Aurous -ApiKey $args[1] -BaseUri $args[2] -PassThru -Verbose
            Get-AurousCharacter -Id $args[0] -Verbose -Debug
            """,
            id, PowerShellSession.Secure("al_live_wrong_key_canary_0001"), _emulator.BaseUri);

        Assert.NotEmpty(result.Verbose);
        Assert.Contains(result.Debug, d => d.Contains("green", StringComparison.Ordinal));
        Assert.Contains(result.Errors, e => e.CategoryInfo.Category == ErrorCategory.AuthenticationError);
        string everything = result.AllText + string.Join("\n", session.Host.Lines);
        Assert.DoesNotContain(canary, everything);
        Assert.DoesNotContain("al_live_wrong_key_canary_0001", everything);
        Assert.DoesNotContain("emulator_team", everything);
        Assert.Contains("al_live_****", everything);
    }

    [Fact]
    public void A_connection_belongs_to_its_runspace_only()
    {
        using PowerShellSession connected = PowerShellSession.Connected(_emulator.BaseUri, EmulatorDefaults.TeamAKey);
        using var other = new PowerShellSession();

        Assert.Single(connected.Invoke("Get-AurousContext").Output);
        Assert.Empty(other.Invoke("Get-AurousContext").Output);
        Assert.Equal("MissingApiKey", Assert.Single(other.Invoke("Get-AurousCharacter -Id char_x").Errors).ErrorId());
    }

    [Fact]
    public void Connect_keeps_the_proxy_and_shows_its_user_but_never_its_password()
    {
        using var session = new PowerShellSession();
        session.SetVariable("AurousKey", PowerShellSession.Secure(EmulatorDefaults.TeamAKey));
        session.SetVariable("ProxyCredential", new PSCredential("proxy-user", PowerShellSession.Secure("proxy-password-canary")));

        PsResult result = session.Invoke("Connect-Aurous -ApiKey $AurousKey -BaseUri $args[0] -Proxy 'http://127.0.0.1:3128/' -ProxyCredential $ProxyCredential -ApiVersion 2026-05-15 -PassThru", _emulator.BaseUri);

        result.AssertSucceeded();
        PSObject context = Assert.Single(result.Output);
        Assert.Equal(new Uri("http://127.0.0.1:3128/"), context.Get<Uri>("Proxy"));
        Assert.Equal("proxy-user", context.Get<string>("ProxyUserName"));
        Assert.Equal("2026-05-15", context.Get<string>("ApiVersion"));
        Assert.Equal("Session", context.Get<string>("Source"));
        Assert.DoesNotContain("proxy-password-canary", string.Join("\n", context.Properties.Select(p => p.Value?.ToString())));
    }

    [Theory]
    [InlineData("Connect-Aurous -ApiKey $AurousKey -ProxyCredential $ProxyCredential", "InvalidConfiguration")]
    [InlineData("Connect-Aurous -ApiKey $AurousKey -ApiVersion 'latest'", "ParameterArgumentValidationError")]
    [InlineData("Connect-Aurous", "MissingApiKey")]
    public void Connect_refuses_a_broken_configuration(string script, string errorId)
    {
        using var session = new PowerShellSession();
        session.SetVariable("AurousKey", PowerShellSession.Secure(EmulatorDefaults.TeamAKey));
        session.SetVariable("ProxyCredential", new PSCredential("proxy-user", PowerShellSession.Secure("pw")));

        PsResult result = session.Invoke(script);

        Assert.Equal(errorId, Assert.Single(result.Errors).ErrorId());
        Assert.Empty(session.Invoke("Get-AurousContext").Output);
    }

    [Fact]
    public void Connect_refuses_plain_http_to_a_remote_host_at_once()
    {
        using var session = new PowerShellSession();
        session.SetVariable("AurousKey", PowerShellSession.Secure(EmulatorDefaults.TeamAKey));

        PsResult result = session.Invoke("Connect-Aurous -ApiKey $AurousKey -BaseUri 'http://api.example.com/'; Get-AurousContext");

        Assert.Equal("InsecureBaseUri", Assert.Single(result.Errors).ErrorId());
        Assert.DoesNotContain(EmulatorDefaults.TeamAKey, result.AllText);
        Assert.Empty(session.Invoke("Get-AurousContext").Output);
    }
}
