using System.Management.Automation;
using System.Reflection;
using System.Runtime.InteropServices;

namespace Aurous.PowerShell.Tests;

/// <summary>
/// The cmdlet declarations read from the BUILT module assembly as metadata only (MetadataLoadContext), as
/// PowerShell itself would read them, without loading the assembly or its dependencies for execution.
/// </summary>
internal sealed class CmdletMetadata : IDisposable
{
    private const string Sma = "System.Management.Automation.";
    private readonly MetadataLoadContext _context;

    public CmdletMetadata()
    {
        // The engine that hosts the module supplies System.Management.Automation and the runtime.
        var paths = Directory.GetFiles(ModuleLayout.ModuleDirectory, "*.dll")
            .Concat(Directory.GetFiles(RuntimeEnvironment.GetRuntimeDirectory(), "*.dll"))
            .Append(typeof(PSCmdlet).Assembly.Location)
            .GroupBy(Path.GetFileName, StringComparer.OrdinalIgnoreCase)
            .Select(g => g.First());
        _context = new MetadataLoadContext(new PathAssemblyResolver(paths));
        Assembly = _context.LoadFromAssemblyPath(ModuleLayout.CmdletAssemblyPath);
        PublicTypes = Assembly.GetExportedTypes();
        Cmdlets = PublicTypes
            .Where(t => t.GetCustomAttributesData().Any(a => a.AttributeType.FullName == Sma + "CmdletAttribute"))
            .Select(t => new CmdletInfo(t))
            .OrderBy(c => c.Name, StringComparer.Ordinal)
            .ToList();
    }

    public Assembly Assembly { get; }

    public IReadOnlyList<Type> PublicTypes { get; }

    public IReadOnlyList<CmdletInfo> Cmdlets { get; }

    public CmdletInfo this[string name] => Cmdlets.Single(c => c.Name == name);

    public static bool DerivesFrom(Type type, string fullName)
    {
        for (Type? t = type; t != null; t = t.BaseType)
        {
            if (t.FullName == fullName)
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>A public type of the client assembly the module ships beside itself.</summary>
    public Type ClientType(string fullName) => _context.LoadFromAssemblyName("Aurous.Client").GetType(fullName, throwOnError: true)!;

    public void Dispose() => _context.Dispose();

    internal static T? Named<T>(CustomAttributeData attribute, string name, T? fallback = default) =>
        attribute.NamedArguments.Where(a => a.MemberName == name).Select(a => (T?)a.TypedValue.Value).DefaultIfEmpty(fallback).First();
}

internal sealed class CmdletInfo
{
    public CmdletInfo(Type type)
    {
        Type = type;
        CustomAttributeData cmdlet = type.GetCustomAttributesData().Single(a => a.AttributeType.FullName == "System.Management.Automation.CmdletAttribute");
        Verb = (string)cmdlet.ConstructorArguments[0].Value!;
        Noun = (string)cmdlet.ConstructorArguments[1].Value!;
        SupportsShouldProcess = CmdletMetadata.Named(cmdlet, "SupportsShouldProcess", false);
        SupportsPaging = CmdletMetadata.Named(cmdlet, "SupportsPaging", false);
        ConfirmImpact = (ConfirmImpact)CmdletMetadata.Named(cmdlet, "ConfirmImpact", (int)ConfirmImpact.Medium);
        DefaultParameterSetName = CmdletMetadata.Named<string>(cmdlet, "DefaultParameterSetName");
        OutputTypes = type.GetCustomAttributesData()
            .Where(a => a.AttributeType.FullName == "System.Management.Automation.OutputTypeAttribute")
            .SelectMany(a => a.ConstructorArguments)
            .SelectMany(arg => arg.Value is IEnumerable<CustomAttributeTypedArgument> many ? many.Select(m => m.Value) : new[] { arg.Value })
            .Select(v => v is Type t ? t.FullName! : v!.ToString()!)
            .ToList();
        Parameters = type.GetProperties(BindingFlags.Public | BindingFlags.Instance)
            .Select(p => new ParameterInfo(p))
            .Where(p => p.Sets.Count > 0)
            .ToList();
    }

    public Type Type { get; }

    public string Verb { get; }

    public string Noun { get; }

    public string Name => $"{Verb}-{Noun}";

    public bool SupportsShouldProcess { get; }

    /// <summary>The engine adds -First, -Skip and -IncludeTotalCount to every parameter set.</summary>
    public bool SupportsPaging { get; }

    public ConfirmImpact ConfirmImpact { get; }

    public string? DefaultParameterSetName { get; }

    public IReadOnlyList<string> OutputTypes { get; }

    public IReadOnlyList<ParameterInfo> Parameters { get; }

    public ParameterInfo Parameter(string name) => Parameters.Single(p => p.Name == name);

    /// <summary>Named parameter sets; a parameter in "__AllParameterSets" belongs to each of them.</summary>
    public IReadOnlyList<string> SetNames
    {
        get
        {
            var named = Parameters.SelectMany(p => p.Sets).Select(s => s.SetName).Where(n => n != ParameterSetInfo.AllSets).Distinct().OrderBy(n => n, StringComparer.Ordinal).ToList();
            return named.Count == 0 ? new[] { ParameterSetInfo.AllSets } : named;
        }
    }

    /// <summary>The parameters of one set with their settings in that set.</summary>
    public IReadOnlyList<(ParameterInfo Parameter, ParameterSetInfo Set)> InSet(string setName) =>
        Parameters
            .Select(p => (p, p.Sets.FirstOrDefault(s => s.SetName == setName) ?? p.Sets.FirstOrDefault(s => s.SetName == ParameterSetInfo.AllSets)))
            .Where(x => x.Item2 != null)
            .Select(x => (x.p, x.Item2!))
            .ToList();
}

internal sealed class ParameterInfo
{
    public ParameterInfo(PropertyInfo property)
    {
        Name = property.Name;
        TypeName = property.PropertyType.FullName ?? property.PropertyType.Name;
        Sets = property.GetCustomAttributesData()
            .Where(a => a.AttributeType.FullName == "System.Management.Automation.ParameterAttribute")
            .Select(a => new ParameterSetInfo(
                CmdletMetadata.Named(a, "ParameterSetName", ParameterSetInfo.AllSets)!,
                CmdletMetadata.Named(a, "Mandatory", false),
                CmdletMetadata.Named(a, "Position", int.MinValue),
                CmdletMetadata.Named(a, "ValueFromPipeline", false),
                CmdletMetadata.Named(a, "ValueFromPipelineByPropertyName", false)))
            .ToList();
        Aliases = property.GetCustomAttributesData()
            .Where(a => a.AttributeType.FullName == "System.Management.Automation.AliasAttribute")
            .SelectMany(a => (IEnumerable<CustomAttributeTypedArgument>)a.ConstructorArguments[0].Value!)
            .Select(v => (string)v.Value!)
            .ToList();
        AttributeNames = property.GetCustomAttributesData().Select(a => a.AttributeType.Name).ToList();
    }

    public string Name { get; }

    public string TypeName { get; }

    public IReadOnlyList<ParameterSetInfo> Sets { get; }

    public IReadOnlyList<string> Aliases { get; }

    public IReadOnlyList<string> AttributeNames { get; }
}

internal sealed record ParameterSetInfo(string SetName, bool Mandatory, int Position, bool ValueFromPipeline, bool ValueFromPipelineByPropertyName)
{
    public const string AllSets = "__AllParameterSets";

    public bool IsPositional => Position != int.MinValue;
}
