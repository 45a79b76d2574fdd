using System;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using System.Reflection;

namespace Aurous.PowerShell
{
    /// <summary>
    /// Makes the public types of Aurous.Client nameable in scripts from import on: [Aurous.Client.Character],
    /// -is, typed parameters ([Aurous.Client.Character[]]), casts and Pester's Should -BeOfType.
    /// </summary>
    /// <remarks>
    /// PowerShell 7 looks type names up only in assemblies of the default load context, and Aurous.Client lives in the
    /// module's own (with its dependencies, which is what keeps them from clashing with other modules'). Each public
    /// type is therefore registered under its full name as a type accelerator, the mechanism PowerShell documents for
    /// a module's classes (about_Classes_and_Modules); arrays and generic arguments resolve through it as for any
    /// type. On Windows PowerShell 5.1 the loaded assembly would be found by itself, but one way for both keeps it
    /// simple. Registering loads Aurous.Client alone (a few milliseconds): its public types derive only from the base
    /// library, so none of its dependencies load before the first cmdlet call.
    /// </remarks>
    internal static class ClientTypeNames
    {
        private const string ClientAssemblyName = "Aurous.Client";

        private static readonly Type? Accelerators = typeof(PSObject).Assembly.GetType("System.Management.Automation.TypeAccelerators");
        private static readonly List<KeyValuePair<string, Type>> Registered = new List<KeyValuePair<string, Type>>();

        // Accelerators are per process and every runspace imports the module on its own: the names stay until the
        // last import is removed. Callers hold ModuleInitializer's lock.
        private static int s_imports;

        /// <summary>Registers every public type of Aurous.Client under its full name, at the first import.</summary>
        public static void Register()
        {
            MethodInfo? add = Accelerators?.GetMethod("Add", new[] { typeof(string), typeof(Type) });
            if (add == null || s_imports++ > 0)
            {
                return;
            }

            foreach (Type type in Assembly.Load(new AssemblyName(ClientAssemblyName)).GetExportedTypes())
            {
                // A generic type's name as PowerShell writes it before its arguments: Aurous.Client.ReadableList`1.
                string name = type.FullName!;
                add.Invoke(null, new object[] { name, type });
                Registered.Add(new KeyValuePair<string, Type>(name, type));
            }
        }

        /// <summary>Removes the names this module registered when its last import is removed (Remove-Module).</summary>
        public static void Unregister()
        {
            if (s_imports == 0 || --s_imports > 0)
            {
                return;
            }

            MethodInfo? remove = Accelerators?.GetMethod("Remove", new[] { typeof(string) });
            IDictionary<string, Type>? current = Accelerators?.GetProperty("Get")?.GetValue(null) as IDictionary<string, Type>;
            if (remove == null)
            {
                return;
            }

            // Only names still ours: another module may have taken one since.
            foreach (KeyValuePair<string, Type> entry in Registered.Where(e => current == null || (current.TryGetValue(e.Key, out Type? type) && type == e.Value)))
            {
                remove.Invoke(null, new object[] { entry.Key });
            }

            Registered.Clear();
        }
    }
}
