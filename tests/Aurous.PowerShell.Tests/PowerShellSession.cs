using System.Collections.ObjectModel;
using System.Management.Automation;
using Pwsh = System.Management.Automation.PowerShell;
using System.Management.Automation.Runspaces;
using System.Security;

namespace Aurous.PowerShell.Tests;

/// <summary>
/// The real PowerShell 7 engine, in-process, with the built module imported from its folder exactly as a user
/// would import it. One runspace per session; scripts run on it one at a time.
/// </summary>
internal sealed class PowerShellSession : IDisposable
{
    private readonly Runspace _runspace;

    public PowerShellSession()
    {
        _runspace = RunspaceFactory.CreateRunspace(Host, InitialSessionState.CreateDefault2());
        _runspace.Open();
        PsResult import = Invoke("Import-Module $args[0] -ErrorAction Stop", ModuleLayout.ManifestPath);
        if (import.Terminating != null || import.Errors.Count > 0)
        {
            throw new InvalidOperationException($"Import-Module failed: {import.Terminating?.Message}{string.Join("; ", import.Errors)}");
        }
    }

    public RecordingHost Host { get; } = new();

    /// <summary>Connects the session the way a script does, with the key passed as a SecureString variable.</summary>
    public static PowerShellSession Connected(Uri baseUri, string apiKey)
    {
        var session = new PowerShellSession();
        session.SetVariable("AurousKey", Secure(apiKey));
        PsResult connect = session.Invoke("Connect-Aurous -ApiKey $AurousKey -BaseUri $args[0]", baseUri);
        if (connect.Terminating != null || connect.Errors.Count > 0)
        {
            throw new InvalidOperationException($"Connect-Aurous failed: {connect.Terminating?.Message}{string.Join("; ", connect.Errors)}");
        }

        return session;
    }

    public static SecureString Secure(string value)
    {
        var secure = new SecureString();
        foreach (char c in value)
        {
            secure.AppendChar(c);
        }

        secure.MakeReadOnly();
        return secure;
    }

    public void SetVariable(string name, object? value) => _runspace.SessionStateProxy.SetVariable(name, value);

    /// <summary>Runs a script (arguments in $args) and collects every stream; a terminating error is captured, not thrown.</summary>
    public PsResult Invoke(string script, params object?[] arguments)
    {
        using Pwsh ps = Create(script, arguments);
        Collection<PSObject> output = new();
        RuntimeException? terminating = null;
        try
        {
            output = ps.Invoke();
        }
        catch (RuntimeException exception)
        {
            terminating = exception;
        }

        return PsResult.From(ps, output, terminating);
    }

    /// <summary>A pipeline on this session's runspace, for tests that need BeginInvoke/Stop.</summary>
    public Pwsh Create(string script, params object?[] arguments)
    {
        Pwsh ps = Pwsh.Create();
        ps.Runspace = _runspace;
        ps.AddScript(script);
        foreach (object? argument in arguments)
        {
            ps.AddArgument(argument);
        }

        return ps;
    }

    public void Dispose() => _runspace.Dispose();
}

/// <summary>Everything one script produced.</summary>
internal sealed record PsResult(
    IReadOnlyList<PSObject> Output,
    IReadOnlyList<ErrorRecord> Errors,
    IReadOnlyList<string> Verbose,
    IReadOnlyList<string> Debug,
    IReadOnlyList<string> Warnings,
    IReadOnlyList<ProgressRecord> Progress,
    RuntimeException? Terminating)
{
    public static PsResult From(Pwsh ps, IEnumerable<PSObject> output, RuntimeException? terminating) => new(
        output.ToList(),
        ps.Streams.Error.ToList(),
        ps.Streams.Verbose.Select(v => v.Message).ToList(),
        ps.Streams.Debug.Select(d => d.Message).ToList(),
        ps.Streams.Warning.Select(w => w.Message).ToList(),
        ps.Streams.Progress.ToList(),
        terminating);

    public IReadOnlyList<string> Ids => Output.Select(o => o.Get<string>("Id")).ToList();

    /// <summary>Every text the user could see, for secret scans.</summary>
    public string AllText => string.Join("\n", Output.Select(o => o?.ToString() ?? string.Empty)
        .Concat(Errors.SelectMany(Describe))
        .Concat(Verbose).Concat(Debug).Concat(Warnings)
        .Concat(Progress.Select(p => p.Activity + " " + p.StatusDescription))
        .Concat(Terminating == null ? Array.Empty<string>() : Describe(Terminating.ErrorRecord).Append(Terminating.ToString())));

    public void AssertSucceeded()
    {
        if (Terminating != null || Errors.Count > 0)
        {
            throw new Xunit.Sdk.XunitException($"script failed: {Terminating?.Message} {string.Join(" | ", Errors.Select(e => e.FullyQualifiedErrorId + ": " + e))}");
        }
    }

    private static IEnumerable<string> Describe(ErrorRecord error) => new[]
    {
        error.ToString(), error.FullyQualifiedErrorId, error.Exception?.ToString() ?? string.Empty, error.ErrorDetails?.Message ?? string.Empty,
        error.TargetObject?.ToString() ?? string.Empty, error.CategoryInfo.ToString(),
    };
}

internal static class PSObjectExtensions
{
    /// <summary>A property of an output object, as a script would read it ($o.Name).</summary>
    public static T Get<T>(this PSObject o, string property) => (T)LanguagePrimitives.ConvertTo(o.Properties[property]?.Value, typeof(T));

    public static string ErrorId(this ErrorRecord error) => error.FullyQualifiedErrorId.Split(',')[0];
}
