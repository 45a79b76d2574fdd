using System;
using System.Collections;
using System.Collections.Generic;
using System.Collections.Specialized;
using System.Management.Automation;
using Aurous.Client;

namespace Aurous.PowerShell.Commands
{
    /// <summary>
    /// Calls a route the module does not wrap (images, estimate, …) with the module's key, version pin, bucket by route,
    /// retries, idempotency keys and redaction, and writes the JSON answer as PowerShell objects.
    /// </summary>
    /// <remarks>
    /// ShouldProcess covers POST, PATCH and DELETE, which may change data or spend credits: -WhatIf names the route and
    /// its cost, so the module's promise of -WhatIf on every credit-spending call holds here too. The impact is Medium,
    /// as for the other paid cmdlets: a script calling it is not stopped by a prompt, and -Confirm asks. GET changes
    /// nothing and is never asked about.
    /// </remarks>
    [Cmdlet(VerbsLifecycle.Invoke, "AurousRequest", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
    [OutputType(typeof(PSObject))]
    public sealed class InvokeAurousRequestCommand : AurousCmdlet
    {
        private const int MaxDepth = 64;

        /// <summary>GET, POST, PATCH or DELETE: first, as in Invoke-MgGraphRequest GET /v1.0/me.</summary>
        [Parameter(Mandatory = true, Position = 0)]
        [ValidateSet("GET", "POST", "PATCH", "DELETE")]
        public string Method { get; set; } = null!;

        /// <summary>A path under the connected API, such as /v1/characters?limit=5.</summary>
        [Parameter(Mandatory = true, Position = 1)]
        [ValidateNotNullOrEmpty]
        public string Path { get; set; } = null!;

        /// <summary>A hashtable or object, sent as JSON, or a JSON string sent as written.</summary>
        [Parameter(Position = 2)]
        [AllowNull]
        public object? Body { get; set; }

        /// <summary>
        /// Sent as Idempotency-Key; every POST gets a new one when omitted. Binds by property name, so the key a failed
        /// paid call's exception carries finishes that call without paying twice.
        /// </summary>
        [Parameter(ValueFromPipelineByPropertyName = true)]
        public string? IdempotencyKey { get; set; }

        protected override void ProcessRecord()
        {
            AurousRoute route;
            var request = new AurousRequest { Method = Method, Path = Path, IdempotencyKey = IdempotencyKey };
            try
            {
                if (IdempotencyKey != null)
                {
                    AurousValidation.IdempotencyKey(IdempotencyKey);
                }

                route = AurousRoute.Resolve(BaseUri(), Method, Path);
                if (MyInvocation.BoundParameters.ContainsKey(nameof(Body)) && Body != null)
                {
                    object body = PSObject.AsPSObject(Body).BaseObject;
                    request.Body = body is string json ? json : AurousJson.Serialize(ToPlain(Body, 0));
                }
            }
            catch (AurousException exception)
            {
                WriteError(AurousErrorRecords.From(exception, Path));
                return;
            }

            if (route.Method != "GET" && !ShouldProcess(route.Path, AurousOperations.Request(route)))
            {
                return;
            }

            if (TryRun((client, ct) => client.SendAsync(request, ct), route.ToString(), out AurousResponse response) && response.Content.Length > 0)
            {
                if (!response.IsJson)
                {
                    WriteObject(response.Content);
                    return;
                }

                object? parsed;
                try
                {
                    parsed = AurousJson.Parse(response.Content);
                }
                catch (AurousException e)
                {
                    var invalid = new AurousException($"{route} answered {response.ContentType}, but: {e.Message} (request id {response.Info.RequestId ?? "none"}).", e.ErrorId, e.Category);
                    WriteError(AurousErrorRecords.From(invalid, route.ToString()));
                    return;
                }

                // A top-level array is enumerated, as Invoke-RestMethod does.
                WriteObject(ToPowerShell(parsed), enumerateCollection: parsed is object?[]);
            }
        }

        /// <summary>The connected API: where the path is resolved, so -WhatIf needs no key yet.</summary>
        private Uri BaseUri()
        {
            try
            {
                return AurousContextStore.Resolve()?.BaseUri ?? AurousClientOptions.DefaultBaseUri;
            }
            catch (AurousConfigurationException exception)
            {
                ThrowTerminatingError(AurousErrorRecords.From(exception, null));
                throw;
            }
        }

        /// <summary>PowerShell's objects as the plain values AurousJson writes: a PSCustomObject becomes an ordered dictionary.</summary>
        private static object? ToPlain(object? value, int depth)
        {
            if (depth > MaxDepth)
            {
                throw new AurousValidationException($"The body cannot be sent as JSON: it is nested more than {MaxDepth} levels deep (does it contain itself?).", AurousErrors.InvalidRequestBody, nameof(Body));
            }

            if (value is PSObject wrapped)
            {
                if (wrapped.BaseObject is PSCustomObject)
                {
                    var properties = new OrderedDictionary(StringComparer.Ordinal);
                    foreach (PSPropertyInfo property in wrapped.Properties)
                    {
                        properties[property.Name] = ToPlain(property.Value, depth + 1);
                    }

                    return properties;
                }

                value = wrapped.BaseObject;
            }

            switch (value)
            {
                case null:
                case string _:
                    return value;
                case IDictionary map:
                    var copy = new OrderedDictionary();
                    foreach (DictionaryEntry entry in map)
                    {
                        copy[entry.Key is PSObject key ? key.BaseObject : entry.Key] = ToPlain(entry.Value, depth + 1);
                    }

                    return copy;
                case IEnumerable items:
                    var list = new List<object?>();
                    foreach (object? item in items)
                    {
                        list.Add(ToPlain(item, depth + 1));
                    }

                    return list;
                default:
                    return value;
            }
        }

        /// <summary>AurousJson's plain values as PowerShell objects: each JSON object a PSCustomObject with its keys in order.</summary>
        private static object? ToPowerShell(object? value)
        {
            switch (value)
            {
                case OrderedDictionary map:
                    var result = new PSObject();
                    foreach (DictionaryEntry entry in map)
                    {
                        result.Properties.Add(new PSNoteProperty((string)entry.Key, ToPowerShell(entry.Value)));
                    }

                    return result;
                case object?[] items:
                    var converted = new object?[items.Length];
                    for (int i = 0; i < items.Length; i++)
                    {
                        converted[i] = ToPowerShell(items[i]);
                    }

                    return converted;
                default:
                    return value;
            }
        }
    }
}
