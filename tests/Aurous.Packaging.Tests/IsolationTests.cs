using System.Management.Automation;
using System.Management.Automation.Runspaces;
using System.Reflection;
using System.Runtime.Loader;
using System.Security;
using System.Text.Json;
using Aurous.Emulator;
using Xunit;
using Pwsh = System.Management.Automation.PowerShell;

namespace Aurous.Packaging.Tests;

/// <summary>
/// The installed layout imported into the real PowerShell 7.6 engine of a process that already holds other
/// versions of the module's libraries: ASP.NET Core's Microsoft.Extensions.* and System.Text.Json 10 (the
/// emulator), and an older Microsoft.Bcl.AsyncInterfaces loaded by path into the default context, the way
/// another module's copy would be.
/// </summary>
public sealed class IsolationTests : IClassFixture<IsolationTests.Session>
{
    private const string ForeignAsyncInterfacesVersion = "8.0.0";
    private readonly Session _session;

    public IsolationTests(Session session) => _session = session;

    /// <summary>
    /// One import per process: which assemblies the import itself loaded can only be seen before any cmdlet ran,
    /// and nothing else in this test assembly loads the module.
    /// </summary>
    public sealed class Session : IAsyncLifetime
    {
        public EmulatorServer Emulator { get; private set; } = null!;

        public Runspace Runspace { get; private set; } = null!;

        public Assembly ForeignAsyncInterfaces { get; private set; } = null!;

        public string[] LoadedByImport { get; private set; } = null!;

        public async Task InitializeAsync()
        {
            ForeignAsyncInterfaces = AssemblyLoadContext.Default.LoadFromAssemblyPath(ForeignAsyncInterfacesPath());
            Emulator = await EmulatorServer.StartAsync(new EmulatorOptions { SynthesisSeconds = 0.2 });

            Runspace = RunspaceFactory.CreateRunspace(InitialSessionState.CreateDefault2());
            Runspace.Open();
            Run(Runspace, "Import-Module $args[0] -ErrorAction Stop", ModulePackage.LayoutManifestPath);
            LoadedByImport = AurousContext()?.Assemblies.Select(a => a.GetName().Name!).ToArray() ?? Array.Empty<string>();
        }

        public async Task DisposeAsync()
        {
            Runspace.Dispose();
            await Emulator.DisposeAsync();
        }
    }

    [Fact]
    public async Task New_Wait_Save_runs_with_the_dependencies_in_the_modules_own_load_context()
    {
        var output = Run(
            _session.Runspace,
            "Connect-Aurous -ApiKey $args[0] -BaseUri $args[1]; New-AurousCharacter -Name 'Isolated' -Attributes @{ hair_color = 'black' } | Wait-AurousCharacter -TimeoutSec 60 | Save-AurousCharacter -PassThru",
            Secure(EmulatorDefaults.TeamAKey), _session.Emulator.BaseUri);

        PSObject saved = Assert.Single(output);
        Assert.Equal("Ready", saved.Properties["Status"].Value.ToString());
        Assert.Equal(996, await CreditsAsync());

        AssemblyLoadContext aurous = AurousContext() ?? throw new Xunit.Sdk.XunitException("no load context named Aurous");
        Assert.Same(aurous, AssemblyLoadContext.GetLoadContext(saved.BaseObject.GetType().Assembly));
        Assert.DoesNotContain(AssemblyLoadContext.Default.Assemblies, a => a.GetName().Name == "Aurous.Client");

        // The other copy stays where it was; the module got the version it was built against, beside it.
        Assembly ours = Assert.Single(aurous.Assemblies, a => a.GetName().Name == "Microsoft.Bcl.AsyncInterfaces");
        Assert.Equal(new Version(9, 0, 0, 0), ours.GetName().Version);
        Assert.StartsWith(ModulePackage.DependencyDirectory, ours.Location, StringComparison.Ordinal);
        Assert.Equal(new Version(8, 0, 0, 0), _session.ForeignAsyncInterfaces.GetName().Version);
        Assert.Same(AssemblyLoadContext.Default, AssemblyLoadContext.GetLoadContext(_session.ForeignAsyncInterfaces));

        // Libraries the host carries at the same or a newer version are shared, as .NET binds any app.
        Assert.All(aurous.Assemblies, a => Assert.StartsWith(ModulePackage.DependencyDirectory, a.Location, StringComparison.Ordinal));
        Assert.DoesNotContain(aurous.Assemblies, a => a.GetName().Name == "System.Text.Json");
    }

    [Fact]
    public void Import_loads_none_of_the_dependencies()
    {
        Assert.Empty(_session.LoadedByImport);
    }

    private static AssemblyLoadContext? AurousContext() => AssemblyLoadContext.All.SingleOrDefault(c => c.Name == "Aurous");

    private static IReadOnlyList<PSObject> Run(Runspace runspace, string script, params object[] arguments)
    {
        using Pwsh ps = Pwsh.Create();
        ps.Runspace = runspace;
        ps.AddScript(script);
        foreach (object argument in arguments)
        {
            ps.AddArgument(argument);
        }

        var output = ps.Invoke();
        Assert.True(ps.Streams.Error.Count == 0, string.Join(" | ", ps.Streams.Error.Select(e => e.FullyQualifiedErrorId + ": " + e)));
        return output;
    }

    private async Task<int> CreditsAsync()
    {
        using var http = new HttpClient { BaseAddress = _session.Emulator.BaseUri };
        using JsonDocument ledger = JsonDocument.Parse(await http.GetStringAsync($"_emulator/teams/{EmulatorDefaults.TeamA}/ledger"));
        return ledger.RootElement.GetProperty("credits").GetInt32();
    }

    private static SecureString Secure(string value)
    {
        var secure = new SecureString();
        foreach (char c in value)
        {
            secure.AppendChar(c);
        }

        secure.MakeReadOnly();
        return secure;
    }

    private static string ForeignAsyncInterfacesPath()
    {
        string packages = Environment.GetEnvironmentVariable("NUGET_PACKAGES") ?? Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".nuget", "packages");
        return Path.Combine(packages, "microsoft.bcl.asyncinterfaces", ForeignAsyncInterfacesVersion, "lib", "netstandard2.0", "Microsoft.Bcl.AsyncInterfaces.dll");
    }
}
