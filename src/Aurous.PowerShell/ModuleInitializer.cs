using System;
using System.IO;
using System.Linq;
using System.Management.Automation;
using System.Reflection;

namespace Aurous.PowerShell
{
    /// <summary>
    /// Keeps the module's libraries (Aurous.Client and its Microsoft.Extensions.*, System.Text.Json, ... in the
    /// Dependencies folder of an installed module) from clashing with other modules' versions of them.
    /// </summary>
    /// <remarks>
    /// On .NET 8 and later (PowerShell 7.4+) they load into an AssemblyLoadContext of their own. netstandard2.0
    /// has no AssemblyLoadContext type, so that part lives in Aurous.PowerShell.LoadContext.dll (net8.0), loaded
    /// and called once here; one reflected call is simpler and safer than driving the context itself through
    /// reflection. Windows PowerShell 5.1 has no load contexts and no binding redirects for modules, so there an
    /// AssemblyResolve handler serves the Dependencies folder and doubles as the redirect.
    /// Import stays cheap: this registers handlers and loads Aurous.Client alone, to name its types
    /// (<see cref="ClientTypeNames"/>); its dependencies load when a cmdlet first needs them.
    /// A build-output folder (bin/) keeps the libraries beside the module, where the default probing finds them.
    /// </remarks>
    public sealed class ModuleInitializer : IModuleAssemblyInitializer, IModuleAssemblyCleanup
    {
        internal const string DependencyFolderName = "Dependencies";
        private const string LoadContextAssemblyName = "Aurous.PowerShell.LoadContext";
        private const string LoadContextTypeName = "Aurous.PowerShell.LoadContext.DependencyLoadContext";

        private static readonly object Gate = new object();
        private static readonly string ModuleDirectory = Path.GetDirectoryName(typeof(ModuleInitializer).Assembly.Location)!;
        private static readonly string DependencyDirectory = Path.Combine(ModuleDirectory, DependencyFolderName);
        private static Type? s_loadContext;
        private static bool s_resolving;

        public void OnImport()
        {
            lock (Gate)
            {
                if (Directory.Exists(DependencyDirectory))
                {
                    AttachDependencies();
                }

                ClientTypeNames.Register();
            }
        }

        public void OnRemove(PSModuleInfo psModuleInfo)
        {
            // A test run that removes the module leaves no emulator behind; process exit stops them anyway.
            EmulatorProcesses.StopAll();
            lock (Gate)
            {
                ClientTypeNames.Unregister();
                s_loadContext?.GetMethod("Detach")!.Invoke(null, null);
                if (s_resolving)
                {
                    AppDomain.CurrentDomain.AssemblyResolve -= ResolveFromDependencies;
                    s_resolving = false;
                }
            }
        }

        private static void AttachDependencies()
        {
            if (Environment.Version.Major >= 8)
            {
                s_loadContext ??= Assembly.LoadFrom(Path.Combine(ModuleDirectory, LoadContextAssemblyName + ".dll")).GetType(LoadContextTypeName, throwOnError: true);
                string[] entryPoints = typeof(ModuleInitializer).Assembly.GetReferencedAssemblies().Select(a => a.Name!).ToArray();
                s_loadContext!.GetMethod("Attach")!.Invoke(null, new object[] { DependencyDirectory, entryPoints });
            }
            else if (!s_resolving)
            {
                AppDomain.CurrentDomain.AssemblyResolve += ResolveFromDependencies;
                s_resolving = true;
            }
        }

        // Any version asked for gets the one we carry: the binding redirect Windows PowerShell cannot apply itself.
        private static Assembly? ResolveFromDependencies(object? sender, ResolveEventArgs args)
        {
            string? name = new AssemblyName(args.Name).Name;
            string path = Path.Combine(DependencyDirectory, name + ".dll");
            return name != null && File.Exists(path) ? Assembly.LoadFrom(path) : null;
        }
    }
}
