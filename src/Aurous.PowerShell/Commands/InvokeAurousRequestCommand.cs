using System.Collections;
using System.Collections.Specialized;
using System.Linq;
using System.Management.Automation;
using Aurous.Client;

namespace Aurous.PowerShell.Commands
{
    /// <summary>
    /// Calls any API route the module does not wrap (images, estimates, …) through the same pipeline as the other
    /// cmdlets: the key, the version pin, the route's rate-limit bucket, retries, redaction, and an Idempotency-Key on
    /// every POST. Returns the JSON answer as PowerShell objects, as Invoke-RestMethod does.
    /// </summary>
    [Cmdlet(VerbsLifecycle.Invoke, "AurousRequest", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
    [OutputType(typeof(PSObject))]
    public sealed class InvokeAurousRequestCommand : AurousCmdlet
    {
        [Parameter(Mandatory = true, Position = 0)]
        [ValidateSet("GET", "POST", "PATCH", "DELETE", IgnoreCase = true)]
        public string Method { get; set; } = "GET";

        /// <summary>A path under the base URI, such as /v1/characters/char_… or v1/images/estimate.</summary>
        [Parameter(Mandatory = true, Position = 1)]
        [ValidateNotNullOrEmpty]
        public string Path { get; set; } = null!;

        /// <summary>A hashtable or object (sent as JSON), or a JSON string sent as written.</summary>
        [Parameter(Position = 2)]
        [ValidateNotNull]
        public object? Body { get; set; }

        /// <summary>For a POST: reuse the key of an earlier call to finish it without paying twice. Generated when left out.</summary>
        [Parameter(ValueFromPipelineByPropertyName = true)]
        [ValidateAurous(AurousRule.IdempotencyKey)]
        public string? IdempotencyKey { get; set; }

        protected override void ProcessRecord()
        {
            var request = new AurousRequest
            {
                Method = Method.ToUpperInvariant(),
                Path = Path,
                Body = Body == null ? null : BodyText(Body),
                IdempotencyKey = IdempotencyKey,
            };

            // A read changes nothing; anything else may change or spend, so it asks as the typed cmdlets do.
            if (request.Method != "GET" && !ShouldProcess(Path, $"{request.Method} (may change characters or spend credits)"))
            {
                return;
            }

            if (TryRun((client, ct) => client.SendAsync(request, ct), Path, out AurousResponse response))
            {
                WriteObject(response.IsJson && response.Content.Length > 0 ? ToPowerShell(AurousJson.Parse(response.Content)) : response.Content, enumerateCollection: true);
            }
        }

        private static string BodyText(object body)
        {
            object value = body is PSObject wrapped ? wrapped.BaseObject : body;
            if (value is string json)
            {
                return json;
            }

            // A [pscustomobject] or any object goes as its properties, like ConvertTo-Json would send it.
            if (value is PSCustomObject || (!(value is IDictionary) && !(value is IEnumerable)))
            {
                var properties = new OrderedDictionary();
                foreach (PSPropertyInfo property in PSObject.AsPSObject(body).Properties)
                {
                    properties[property.Name] = property.Value is PSObject nested ? nested.BaseObject : property.Value;
                }

                value = properties;
            }

            return AurousJson.Serialize(value);
        }

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
                case object?[] array:
                    return array.Select(ToPowerShell).ToArray();
                default:
                    return value;
            }
        }
    }
}
