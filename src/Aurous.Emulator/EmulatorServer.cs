using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;

namespace Aurous.Emulator;

/// <summary>
/// The emulator as a real Kestrel server on loopback. Tests start one per class on an ephemeral port and
/// talk to it over HTTP, exactly as the module does with production.
/// </summary>
public sealed class EmulatorServer : IAsyncDisposable
{
    private readonly WebApplication app;
    private readonly EmulatorEngine engine;

    private EmulatorServer(WebApplication app, EmulatorEngine engine, Uri baseUri)
    {
        this.app = app;
        this.engine = engine;
        Clock = engine.Clock;
        BaseUri = baseUri;
    }

    /// <summary>Where the server listens, with a trailing slash (e.g. http://127.0.0.1:49152/).</summary>
    public Uri BaseUri { get; }

    /// <summary>
    /// The clock every time-dependent behaviour reads; advance it instead of sleeping. With a data folder, an advance
    /// made here is kept with the next request's commit, or when the server is disposed.
    /// </summary>
    public EmulatorClock Clock { get; }

    /// <summary>How many characters the data folder held when the server started (0 in memory).</summary>
    internal int RestoredCharacters { get; private init; }

    /// <summary>
    /// Starts an emulator on http://127.0.0.1 with an ephemeral port and returns once it listens. With
    /// <see cref="EmulatorOptions.DataPath"/> it continues from that folder, or throws <see cref="DataFolderException"/>
    /// when the folder cannot be used.
    /// </summary>
    public static Task<EmulatorServer> StartAsync(EmulatorOptions? options = null, CancellationToken ct = default) =>
        StartAsync(options ?? new EmulatorOptions(), "http://127.0.0.1:0", consoleLogging: false, ct);

    internal static async Task<EmulatorServer> StartAsync(EmulatorOptions options, string url, bool consoleLogging, CancellationToken ct)
    {
        options = options.Snapshot();
        options.Validate();
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { ContentRootPath = AppContext.BaseDirectory });
        builder.WebHost.UseUrls(url);
        builder.WebHost.ConfigureKestrel(kestrel => RequestLimits.Configure(kestrel.Limits));
        // A test that leaves a delayed request behind must not hold up disposal for the default 30 s.
        builder.Services.Configure<HostOptions>(o => o.ShutdownTimeout = TimeSpan.FromSeconds(3));
        builder.Logging.ClearProviders();
        if (consoleLogging)
        {
            // A failed start (port in use) is reported by Program in one line, not as the host's stack trace.
            builder.Logging.AddSimpleConsole().SetMinimumLevel(LogLevel.Warning).AddFilter("Microsoft.Extensions.Hosting", LogLevel.None);
        }

        IStateStore store = options.DataPath is { } folder ? SqliteStateStore.Open(folder) : new MemoryStateStore();
        try
        {
            var engine = new EmulatorEngine(options, new EmulatorClock(), store);
            var restored = engine.State.Count;
            var app = builder.Build();
            app.UseMiddleware<EmulatorMiddleware>();
            app.UseStatusCodePages(context => EmulatorMiddleware.WriteStatusEnvelopeAsync(context.HttpContext));
            V1Endpoints.Map(app, engine);
            StorageEndpoints.Map(app, engine);
            ControlEndpoints.Map(app, engine);

            await app.StartAsync(ct);
            var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
            return new EmulatorServer(app, engine, new Uri(address.TrimEnd('/') + "/")) { RestoredCharacters = restored };
        }
        catch
        {
            store.Dispose();
            throw;
        }
    }

    internal Task WaitForShutdownAsync(CancellationToken ct) => app.WaitForShutdownAsync(ct);

    public async ValueTask DisposeAsync()
    {
        await app.StopAsync();
        await app.DisposeAsync();
        lock (engine.State.Sync)
        {
            try
            {
                // An advance of Clock that no request has committed yet.
                engine.Commit();
            }
            finally
            {
                engine.Store.Dispose();
            }
        }
    }
}
