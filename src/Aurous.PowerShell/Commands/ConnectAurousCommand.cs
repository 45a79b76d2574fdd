using System;
using System.Management.Automation;
using System.Security;
using Aurous.Client;

namespace Aurous.PowerShell.Commands
{
    /// <summary>
    /// Sets the Aurous context of this PowerShell process, which every runspace uses (ForEach-Object -Parallel,
    /// Start-ThreadJob); without it the other cmdlets read the environment variables. Without -ApiKey it keeps the key
    /// of the current connection, else reads AUROUS_API_KEY.
    /// </summary>
    [Cmdlet(VerbsCommunications.Connect, "Aurous")]
    [OutputType(typeof(AurousContext))]
    public sealed class ConnectAurousCommand : AurousCmdlet
    {
        [Parameter(Position = 0)]
        [ValidateNotNull]
        public SecureString? ApiKey { get; set; }

        [Parameter]
        [ValidateNotNull]
        public Uri? BaseUri { get; set; }

        [Parameter]
        [ValidateAurous(AurousRule.ApiVersion)]
        public string? ApiVersion { get; set; }

        [Parameter]
        [ValidateNotNull]
        [ValidateAurous(AurousRule.Proxy)]
        public Uri? Proxy { get; set; }

        [Parameter]
        [Credential]
        [ValidateNotNull]
        public PSCredential? ProxyCredential { get; set; }

        /// <summary>For teams with raised limits, or an emulator started with the same --rate-limit-multiplier.</summary>
        [Parameter]
        [ValidateRange(AurousRateLimits.MinMultiplier, AurousRateLimits.MaxMultiplier)]
        public double RateLimitMultiplier { get; set; } = 1;

        /// <summary>
        /// A Redis server (a StackExchange.Redis configuration: host:port[,password=…][,ssl=true]) that every machine on
        /// the key shares its rate limits through; else AUROUS_RATE_LIMIT_STORE.
        /// </summary>
        [Parameter]
        [ValidateNotNullOrEmpty]
        public string? RateLimitStore { get; set; }

        [Parameter]
        public SwitchParameter PassThru { get; set; }

        /// <summary>Store the connection without asking the server, for setting up offline.</summary>
        [Parameter]
        public SwitchParameter SkipCheck { get; set; }

        // The check answers a person at the prompt: one retry and 15 s at most, not the 2 minutes a paid call gets.
        private static readonly TimeSpan CheckTime = TimeSpan.FromSeconds(15);

        protected override void EndProcessing()
        {
            try
            {
                AurousContext context = BuildContext();

                // Refuse a broken configuration now (http to a remote host, ...) rather than on the first call.
                AurousClientOptions options = ClientOptionsFor(context);
                options.Validate();
                if (!SkipCheck)
                {
                    Check(context, options);
                }

                AurousContextStore.SetSession(context);
                WriteVerbose($"Connected to {context.BaseUri} with key {context.ApiKeyHint}{(context.RateLimitStore == null ? "" : $", sharing the rate limits through {context.RateLimitStore}")}.");
                if (PassThru)
                {
                    WriteObject(context);
                }
            }
            catch (AurousConfigurationException exception)
            {
                ThrowTerminatingError(AurousErrorRecords.From(exception, BaseUri));
            }
        }

        /// <summary>
        /// One cheap call (the list, one character) so a key or an endpoint the server refuses fails here, with
        /// nothing stored, instead of on the first real call, as Connect-AzAccount and Connect-MgGraph do.
        /// </summary>
        private void Check(AurousContext context, AurousClientOptions options)
        {
            options.Retry = new AurousRetryPolicy { MaxAttempts = 2, MaxElapsed = CheckTime };
            options.RequestTimeout = CheckTime;
            using var client = new AurousClient(options);
            try
            {
                Run(ct => client.ListCharactersPageAsync(1, null, ct));
                WriteVerbose($"{AurousMessages.Server(context.BaseUri)} accepts the key {context.ApiKeyHint}.");
            }
            catch (AurousException exception)
            {
                ErrorRecord record = AurousErrorRecords.From(exception, context.BaseUri);
                bool refused = exception.ErrorId == AurousErrors.AuthenticationFailed || exception.ErrorId == AurousErrors.PermissionDenied;
                record.ErrorDetails = new ErrorDetails(AurousMessages.Sentences(
                    "Connect-Aurous checked the connection and stored nothing",
                    record.ErrorDetails?.Message ?? exception.Message,
                    refused ? null : "To store the connection without checking it (an offline set-up), run Connect-Aurous with -SkipCheck"));
                ThrowTerminatingError(record);
            }
        }

        private AurousContext BuildContext()
        {
            if (ProxyCredential != null && Proxy == null)
            {
                throw new AurousConfigurationException("-ProxyCredential needs -Proxy: the credential is for the proxy named there.", AurousErrors.InvalidConfiguration);
            }

            Uri? baseUri = BaseUri ?? AurousContext.ParseBaseUri(Environment.GetEnvironmentVariable(AurousContext.BaseUrlVariable));
            string? apiVersion = ApiVersion ?? AurousContext.NullIfEmpty(Environment.GetEnvironmentVariable(AurousContext.VersionVariable));
            double multiplier = MyInvocation.BoundParameters.ContainsKey(nameof(RateLimitMultiplier)) ? RateLimitMultiplier : AurousContext.RateLimitMultiplierFromEnvironment();
            string? store = RateLimitStore ?? AurousContext.RateLimitStoreFromEnvironment();
            if (ApiKey != null)
            {
                if (ApiKey.Length == 0)
                {
                    throw new AurousConfigurationException("-ApiKey is empty.", AurousErrors.MissingApiKey);
                }

                return new AurousContext(ApiKey, baseUri, apiVersion, Proxy, ProxyCredential, multiplier, store, AurousContextSource.Session);
            }

            // Reconnecting to change the endpoint or the pin should not mean typing the key again.
            AurousContext? current = AurousContextStore.GetSession();
            if (current != null)
            {
                WriteVerbose($"No -ApiKey: keeping the key of the current connection ({current.ApiKeyHint}).");
                return current.WithSettings(baseUri, apiVersion, Proxy, ProxyCredential, multiplier, store);
            }

            string? key = Environment.GetEnvironmentVariable(AurousContext.ApiKeyVariable);
            if (string.IsNullOrEmpty(key))
            {
                throw new AurousConfigurationException($"No API key: pass -ApiKey or set the {AurousContext.ApiKeyVariable} environment variable.", AurousErrors.MissingApiKey);
            }

            using SecureString secure = AurousContext.ToSecureString(key!);
            return new AurousContext(secure, baseUri, apiVersion, Proxy, ProxyCredential, multiplier, store, AurousContextSource.Session);
        }
    }
}
