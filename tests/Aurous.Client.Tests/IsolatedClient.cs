using System.Collections.Concurrent;
using System.Reflection;
using System.Runtime.Loader;
using Aurous.Emulator;

namespace Aurous.Client.Tests;

/// <summary>Aurous.Client loaded a second time, in its own load context: its statics are another process's.</summary>
internal sealed class IsolatedClient
{
    private readonly dynamic _client;

    public IsolatedClient(TestEmulator emulator, AurousBucketLimit getShape, string stateDirectory, string? store = null)
    {
        var context = new AssemblyLoadContext("another process", isCollectible: true);
        var assembly = context.LoadFromAssemblyPath(typeof(AurousClient).Assembly.Location);
        Type Type(string name) => assembly.GetType("Aurous.Client." + name, throwOnError: true)!;

        dynamic limits = Activator.CreateInstance(Type(nameof(AurousRateLimits)))!;
        limits.SharedStateDirectory = stateDirectory;
        limits.Store = store;

        // Its own statics: as patient with a store as this copy is.
        assembly.GetType("Aurous.Client.Http.RedisStoreConnection", throwOnError: true)!
            .GetProperty("Patience", BindingFlags.NonPublic | BindingFlags.Static)!
            .SetValue(null, Http.RedisStoreConnection.Patience);
        limits.CharactersGet = (dynamic)Activator.CreateInstance(Type(nameof(AurousBucketLimit)), getShape.Burst, getShape.PerMinute)!;
        dynamic retry = Activator.CreateInstance(Type(nameof(AurousRetryPolicy)))!;
        retry.MaxAttempts = 8;
        retry.BaseDelay = TimeSpan.FromMilliseconds(5);
        retry.MaxDelay = TimeSpan.FromMilliseconds(50);
        dynamic options = Activator.CreateInstance(Type(nameof(AurousClientOptions)))!;
        options.ApiKey = EmulatorDefaults.TeamAKey;
        options.BaseUri = emulator.Server.BaseUri;
        options.RateLimits = limits;
        options.Retry = retry;
        var sink = typeof(IsolatedClient).GetMethod(nameof(Record), BindingFlags.NonPublic | BindingFlags.Instance)!;
        options.Log = (dynamic)Delegate.CreateDelegate(typeof(Action<>).MakeGenericType(Type(nameof(AurousLogEvent))), this, sink);
        _client = Activator.CreateInstance(Type(nameof(AurousClient)), (object)options)!;
    }

    public ConcurrentQueue<string> Lines { get; } = new();

    public Task GetAsync(string id) => (Task)_client.GetCharacterAsync(id, CancellationToken.None);

    private void Record(object logEvent) => Lines.Enqueue((string)((dynamic)logEvent).Message);
}
