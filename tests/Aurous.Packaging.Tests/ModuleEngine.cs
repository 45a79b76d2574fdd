using System.Management.Automation;
using System.Management.Automation.Runspaces;
using System.Reflection;
using System.Runtime.Loader;
using Aurous.Emulator;
using Xunit;
using Pwsh = System.Management.Automation.PowerShell;

namespace Aurous.Packaging.Tests;

/// <summary>
/// The installed layout imported into the real PowerShell 7.6 engine of a process that already holds other
/// versions of the module's libraries: ASP.NET Core's Microsoft.Extensions.* and System.Text.Json 10 (the
/// emulator), and an older Microsoft.Bcl.AsyncInterfaces loaded by path into the default context, the way
/// another module's copy would be. One import per process, shared by the tests that run the module: what the
/// import itself loaded can only be seen before any cmdlet ran.
/// </summary>
public sealed class ModuleEngine : IAsyncLifetime
{
    public const string Name = "Module engine";

    private const string ForeignAsyncInterfacesVersion = "8.0.0";

    public EmulatorServer Emulator { get; private set; } = null!;

    public Runspace Runspace { get; private set; } = null!;

    public Assembly ForeignAsyncInterfaces { get; private set; } = null!;

    public string[] LoadedByImport { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        ForeignAsyncInterfaces = AssemblyLoadContext.Default.LoadFromAssemblyPath(ForeignAsyncInterfacesPath());
        Emulator = await EmulatorServer.StartAsync(new EmulatorOptions { SynthesisSeconds = 0 });
        Runspace = Open();
        LoadedByImport = AppDomain.CurrentDomain.GetAssemblies()
            .Where(a => !a.IsDynamic && a.Location.StartsWith(ModulePackage.DependencyDirectory, StringComparison.Ordinal))
            .Select(a => a.GetName().Name!)
            .ToArray();
    }

    public async Task DisposeAsync()
    {
        Runspace.Dispose();
        await Emulator.DisposeAsync();
    }

    /// <summary>A new runspace with the layout imported, as a new PowerShell window would have it.</summary>
    private static Runspace Open()
    {
        Runspace runspace = RunspaceFactory.CreateRunspace(InitialSessionState.CreateDefault2());
        runspace.Open();
        Run(runspace, "Import-Module $args[0] -ErrorAction Stop", ModulePackage.LayoutManifestPath);
        return runspace;
    }

    public static AssemblyLoadContext? AurousContext() => AssemblyLoadContext.All.SingleOrDefault(c => c.Name == "Aurous");

    /// <summary>Runs a script and fails the test on any error record.</summary>
    public static IReadOnlyList<PSObject> Run(Runspace runspace, string script, params object[] arguments)
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

    private static string ForeignAsyncInterfacesPath() =>
        Path.Combine(ModulePackage.NuGetPackagesDirectory, "microsoft.bcl.asyncinterfaces", ForeignAsyncInterfacesVersion, "lib", "netstandard2.0", "Microsoft.Bcl.AsyncInterfaces.dll");
}

[CollectionDefinition(ModuleEngine.Name)]
public sealed class ModuleEngineCollection : ICollectionFixture<ModuleEngine>
{
}
