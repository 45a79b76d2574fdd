using System;
using System.Globalization;
using System.Management.Automation;
using System.Net;
using System.Runtime.InteropServices;
using System.Security;
using Aurous.Client;

namespace Aurous.PowerShell
{
    /// <summary>
    /// The connection settings cmdlets use. The key is held as a SecureString and never exposed by a property,
    /// ToString or the format file: only <see cref="ApiKeyHint"/>, a masked form, is public.
    /// </summary>
    public sealed class AurousContext
    {
        internal const string ApiKeyVariable = "AUROUS_API_KEY";
        internal const string BaseUrlVariable = "AUROUS_BASE_URL";
        internal const string VersionVariable = "AUROUS_VERSION";
        internal const string RateLimitMultiplierVariable = "AUROUS_RATE_LIMIT_MULTIPLIER";
        internal const string RateLimitStoreVariable = "AUROUS_RATE_LIMIT_STORE";

        private readonly SecureString _apiKey;

        // A StackExchange.Redis configuration, which may hold a password: only RateLimitStore, masked, is shown.
        private readonly string? _rateLimitStore;

        internal AurousContext(SecureString apiKey, Uri? baseUri, string? apiVersion, Uri? proxy, PSCredential? proxyCredential, double rateLimitMultiplier, string? rateLimitStore, AurousContextSource source)
        {
            RateLimitMultiplier = rateLimitMultiplier;
            _rateLimitStore = rateLimitStore;
            RateLimitStore = rateLimitStore == null ? null : AurousRateLimits.MaskStore(rateLimitStore);
            _apiKey = apiKey.Copy();
            _apiKey.MakeReadOnly();
            BaseUri = baseUri ?? AurousClientOptions.DefaultBaseUri;
            ApiVersion = apiVersion;
            Proxy = proxy;
            ProxyCredential = proxyCredential;
            Source = source.ToString();
            ApiKeyHint = Mask(apiKey);
        }

        public Uri BaseUri { get; }

        /// <summary>The Aurous-Version pin; null uses the team's pinned version.</summary>
        public string? ApiVersion { get; }

        /// <summary>The key's prefix and last four characters, enough to tell keys apart.</summary>
        public string ApiKeyHint { get; }

        public Uri? Proxy { get; }

        public string? ProxyUserName => ProxyCredential?.UserName;

        /// <summary>Session or Environment; a string, so ConvertTo-Json and Export-Csv show the word, not a number.</summary>
        public string Source { get; }

        /// <summary>How many times the documented rate limits the team has (1 unless raised, or an emulator run so).</summary>
        public double RateLimitMultiplier { get; }

        /// <summary>The Redis server the team's machines share their rate limits through, password masked; null when none.</summary>
        public string? RateLimitStore { get; }

        internal PSCredential? ProxyCredential { get; }

        /// <summary>Reads the environment variables; null when AUROUS_API_KEY is unset or empty.</summary>
        internal static AurousContext? FromEnvironment()
        {
            string? key = System.Environment.GetEnvironmentVariable(ApiKeyVariable);
            if (string.IsNullOrEmpty(key))
            {
                return null;
            }

            using SecureString secure = ToSecureString(key!);
            return new AurousContext(secure, ParseBaseUri(System.Environment.GetEnvironmentVariable(BaseUrlVariable)), NullIfEmpty(System.Environment.GetEnvironmentVariable(VersionVariable)), null, null, RateLimitMultiplierFromEnvironment(), RateLimitStoreFromEnvironment(), AurousContextSource.Environment);
        }

        internal static double RateLimitMultiplierFromEnvironment()
        {
            string? value = System.Environment.GetEnvironmentVariable(RateLimitMultiplierVariable);
            if (string.IsNullOrEmpty(value))
            {
                return 1;
            }

            if (!double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out double multiplier) || double.IsNaN(multiplier) || multiplier < AurousRateLimits.MinMultiplier || multiplier > AurousRateLimits.MaxMultiplier)
            {
                throw new AurousConfigurationException($"{RateLimitMultiplierVariable} must be a number from {AurousRateLimits.MinMultiplier.ToString(CultureInfo.InvariantCulture)} to {AurousRateLimits.MaxMultiplier.ToString(CultureInfo.InvariantCulture)}; got '{value}'. Unset it to use the documented limits.", AurousErrors.InvalidConfiguration);
            }

            return multiplier;
        }

        internal static string? RateLimitStoreFromEnvironment() => NullIfEmpty(System.Environment.GetEnvironmentVariable(RateLimitStoreVariable));

        internal static Uri? ParseBaseUri(string? value)
        {
            if (string.IsNullOrEmpty(value))
            {
                return null;
            }

            if (!Uri.TryCreate(value, UriKind.Absolute, out Uri? uri))
            {
                throw new AurousConfigurationException($"{BaseUrlVariable} is not an absolute URL; set it to one such as https://api.aurous-labs.com/ (the value is not shown: it may hold a password).", AurousErrors.InvalidConfiguration);
            }

            return uri;
        }

        internal static string? NullIfEmpty(string? value) => string.IsNullOrEmpty(value) ? null : value;

        internal static SecureString ToSecureString(string value)
        {
            var secure = new SecureString();
            foreach (char c in value)
            {
                secure.AppendChar(c);
            }

            return secure;
        }

        /// <summary>This context's key with other settings: Connect-Aurous without -ApiKey keeps the key it has.</summary>
        internal AurousContext WithSettings(Uri? baseUri, string? apiVersion, Uri? proxy, PSCredential? proxyCredential, double rateLimitMultiplier, string? rateLimitStore) =>
            new AurousContext(_apiKey, baseUri, apiVersion, proxy, proxyCredential, rateLimitMultiplier, rateLimitStore, AurousContextSource.Session);

        /// <summary>Builds the client options; the plain key exists only inside them, for the client's own lifetime.</summary>
        internal AurousClientOptions ToClientOptions(string hostDescription, Action<AurousLogEvent> log)
        {
            var options = new AurousClientOptions
            {
                ApiKey = RevealApiKey(),
                BaseUri = BaseUri,
                ApiVersion = ApiVersion,
                HostDescription = hostDescription,
                Log = log,
                RateLimits = AurousRateLimits.Scaled(RateLimitMultiplier),
            };
            options.RateLimits.Store = _rateLimitStore;
            if (Proxy != null)
            {
                options.Proxy = new WebProxy(Proxy) { Credentials = ProxyCredential?.GetNetworkCredential() };
            }

            return options;
        }

        /// <summary>The emulator team the key names (al_live_emulator_&lt;team&gt;); null for any other key.</summary>
        internal string? EmulatorTeam() => AurousEmulatorTeams.TeamOf(RevealApiKey());

        public override string ToString() => $"{BaseUri} ({ApiKeyHint})";

        private string RevealApiKey()
        {
            IntPtr pointer = Marshal.SecureStringToGlobalAllocUnicode(_apiKey);
            try
            {
                return Marshal.PtrToStringUni(pointer) ?? string.Empty;
            }
            finally
            {
                Marshal.ZeroFreeGlobalAllocUnicode(pointer);
            }
        }

        private static string Mask(SecureString apiKey)
        {
            IntPtr pointer = Marshal.SecureStringToGlobalAllocUnicode(apiKey);
            try
            {
                string key = Marshal.PtrToStringUni(pointer) ?? string.Empty;
                const string Prefix = "al_live_";

                // Short keys would be mostly revealed by prefix + last four, so they show nothing at all.
                if (key.Length < 16)
                {
                    return "****";
                }

                string prefix = key.StartsWith(Prefix, StringComparison.Ordinal) ? Prefix : string.Empty;
                return prefix + "****" + key.Substring(key.Length - 4);
            }
            finally
            {
                Marshal.ZeroFreeGlobalAllocUnicode(pointer);
            }
        }
    }
}
