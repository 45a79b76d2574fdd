using System.Management.Automation;
using System.Reflection;
using System.Runtime.Loader;
using System.Text.Json;
using Aurous.Emulator;
using Xunit;

namespace Aurous.Packaging.Tests;

/// <summary>The module in the engine beside other versions of its libraries (see <see cref="ModuleEngine"/>).</summary>
[Collection(ModuleEngine.Name)]
public sealed class IsolationTests
{
    private readonly ModuleEngine _session;

    public IsolationTests(ModuleEngine session) => _session = session;

    [Fact]
    public async Task New_Wait_Save_runs_with_the_dependencies_in_the_modules_own_load_context()
    {
        int creditsBefore = await CreditsAsync();
        var output = ModuleEngine.Run(
            _session.Runspace,
            "Connect-Aurous -ApiKey $args[0] -BaseUri $args[1]; New-AurousCharacter -Name 'Isolated' -Attributes @{ hair_color = 'black' } | Wait-AurousCharacter -TimeoutSec 60 | Save-AurousCharacter -PassThru",
            new System.Net.NetworkCredential(string.Empty, EmulatorDefaults.TeamAKey).SecurePassword, _session.Emulator.BaseUri);

        PSObject saved = Assert.Single(output);
        Assert.Equal("Ready", saved.Properties["Status"].Value.ToString());
        Assert.Equal(creditsBefore - 4, await CreditsAsync());

        AssemblyLoadContext aurous = ModuleEngine.AurousContext() ?? throw new Xunit.Sdk.XunitException("no load context named Aurous");
        Assert.Same(aurous, AssemblyLoadContext.GetLoadContext(saved.BaseObject.GetType().Assembly));
        Assert.DoesNotContain(AssemblyLoadContext.Default.Assemblies, a => a.GetName().Name == "Aurous.Client");

        // The other copy stays where it was; the module got the version it was built against, beside it. Without
        // the load context (the Windows PowerShell resolver alone), Wait-AurousCharacter fails right here with a
        // FileLoadException for Microsoft.Bcl.AsyncInterfaces 9.0.0.0: the default context already holds 8.0.
        Assembly ours = Assert.Single(aurous.Assemblies, a => a.GetName().Name == "Microsoft.Bcl.AsyncInterfaces");
        Assert.Equal(new Version(9, 0, 0, 0), ours.GetName().Version);
        Assert.StartsWith(ModulePackage.DependencyDirectory, ours.Location, StringComparison.Ordinal);
        Assert.Equal(new Version(8, 0, 0, 0), _session.ForeignAsyncInterfaces.GetName().Version);
        Assert.Same(AssemblyLoadContext.Default, AssemblyLoadContext.GetLoadContext(_session.ForeignAsyncInterfaces));

        // Libraries the host carries at the same or a newer version are shared, as .NET binds any app.
        Assert.All(aurous.Assemblies, a => Assert.StartsWith(ModulePackage.DependencyDirectory, a.Location, StringComparison.Ordinal));
        Assert.DoesNotContain(aurous.Assemblies, a => a.GetName().Name == "System.Text.Json");

        // The Redis client ships, for a rate-limit store, and loads only when one is set.
        Assert.True(File.Exists(Path.Combine(ModulePackage.DependencyDirectory, "StackExchange.Redis.dll")));
        Assert.DoesNotContain(AppDomain.CurrentDomain.GetAssemblies(), a => a.GetName().Name == "StackExchange.Redis");
    }

    [Fact]
    public void Import_loads_Aurous_Client_alone_and_names_its_types_from_its_own_load_context()
    {
        // Aurous.Client, to register its type names; none of its dependencies until a cmdlet runs.
        Assert.Equal(new[] { "Aurous.Client" }, _session.LoadedByImport);

        PSObject named = Assert.Single(ModuleEngine.Run(_session.Runspace, "[Aurous.Client.Character[]]"));
        Type array = Assert.IsAssignableFrom<Type>(named.BaseObject);
        Assert.Equal("Aurous.Client.Character", array.GetElementType()!.FullName);
        Assert.Same(ModuleEngine.AurousContext(), AssemblyLoadContext.GetLoadContext(array.Assembly));
    }

    private async Task<int> CreditsAsync()
    {
        using var http = new HttpClient { BaseAddress = _session.Emulator.BaseUri };
        using JsonDocument ledger = JsonDocument.Parse(await http.GetStringAsync($"_emulator/teams/{EmulatorDefaults.TeamA}/ledger"));
        return ledger.RootElement.GetProperty("credits").GetInt32();
    }
}
