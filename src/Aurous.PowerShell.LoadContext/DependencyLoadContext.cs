using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Reflection;
using System.Runtime.Loader;

namespace Aurous.PowerShell.LoadContext
{
    /// <summary>
    /// The module's own load context on PowerShell 7: Aurous.Client and the libraries it needs load here from the
    /// module's Dependencies folder, so a Microsoft.Extensions.* or System.Text.Json that another module (Az,
    /// Microsoft.Graph) put in the default context neither blocks ours nor is replaced by ours.
    /// </summary>
    /// <remarks>
    /// A library the host process itself carries (a trusted platform assembly) at the same or a newer version is
    /// shared rather than isolated, exactly as .NET binds any application. That is what the cmdlet assembly, which
    /// lives in the default context, gets for the same name, so types the cmdlets and the client exchange
    /// (IAsyncEnumerable, ValueTask) stay one type; and it never loads a second copy of the runtime's own libraries.
    /// </remarks>
    public sealed class DependencyLoadContext : AssemblyLoadContext
    {
        private static readonly object Gate = new object();
        private static DependencyLoadContext? s_instance;
        private static bool s_attached;

        private readonly string _directory;
        private readonly HashSet<string> _entryPoints;
        private readonly Lazy<Dictionary<string, string>> _platform = new Lazy<Dictionary<string, string>>(ReadTrustedPlatformAssemblies);
        private readonly ConcurrentDictionary<string, Version?> _platformVersions = new ConcurrentDictionary<string, Version?>(StringComparer.OrdinalIgnoreCase);

        private DependencyLoadContext(string directory, IEnumerable<string> entryPoints)
            : base("Aurous", isCollectible: false)
        {
            _directory = directory;

            // Only what this context can serve: answering for a name it would hand back to the default context
            // (System.Management.Automation, netstandard) would send the request round in a circle.
            _entryPoints = new HashSet<string>(entryPoints.Where(name => File.Exists(Path.Combine(directory, name + ".dll"))), StringComparer.OrdinalIgnoreCase);
        }

        /// <summary>
        /// Answers the default context's requests for <paramref name="entryPoints"/> (the assemblies the cmdlet
        /// assembly references) from this context. One context per process: a re-imported module must find the
        /// Aurous.Client it already loaded.
        /// </summary>
        public static void Attach(string dependencyDirectory, string[] entryPoints)
        {
            lock (Gate)
            {
                s_instance ??= new DependencyLoadContext(dependencyDirectory, entryPoints);
                if (!s_attached)
                {
                    Default.Resolving += s_instance.ResolveEntryPoint;
                    s_attached = true;
                }
            }
        }

        /// <summary>Stops answering the default context, for Remove-Module; what is loaded stays loaded.</summary>
        public static void Detach()
        {
            lock (Gate)
            {
                if (s_instance != null && s_attached)
                {
                    Default.Resolving -= s_instance.ResolveEntryPoint;
                    s_attached = false;
                }
            }
        }

        protected override Assembly? Load(AssemblyName assemblyName)
        {
            if (assemblyName.Name == null || IsSharedWithHost(assemblyName))
            {
                return null;
            }

            string path = Path.Combine(_directory, assemblyName.Name + ".dll");
            return File.Exists(path) ? LoadFromAssemblyPath(path) : null;
        }

        // Only names the cmdlet assembly itself references: another module asking the default context for, say,
        // Microsoft.Extensions.Logging must never be handed ours.
        private Assembly? ResolveEntryPoint(AssemblyLoadContext defaultContext, AssemblyName assemblyName) =>
            assemblyName.Name != null && _entryPoints.Contains(assemblyName.Name) ? LoadFromAssemblyName(assemblyName) : null;

        private bool IsSharedWithHost(AssemblyName requested)
        {
            if (!_platform.Value.TryGetValue(requested.Name!, out string? path))
            {
                return false;
            }

            Version? available = _platformVersions.GetOrAdd(requested.Name!, _ => AssemblyName.GetAssemblyName(path).Version);
            return requested.Version == null || (available != null && available >= requested.Version);
        }

        private static Dictionary<string, string> ReadTrustedPlatformAssemblies()
        {
            var byName = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
            string list = AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES") as string ?? string.Empty;
            foreach (string path in list.Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries))
            {
                byName[Path.GetFileNameWithoutExtension(path)] = path;
            }

            return byName;
        }
    }
}
