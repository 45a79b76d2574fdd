using System.Diagnostics;
using System.Text.Json;
using Aurous.Emulator;

namespace Aurous.Client.Benchmarks;

/// <summary>
/// overhead_ratio: per-request time of AurousClient.GetCharacterAsync against a bare HttpClient loop that
/// sends the same GET with the key and deserialises the body into a plain object (what a script without the
/// core would do), on the same emulator, client limits off. Rounds alternate so machine noise hits all alike; the
/// ratio is of the medians. The same core with the buckets on (too large to ever wait), kept in the process and
/// in a shared state file, gives what the bucket costs per request: overhead_shared_bucket_ratio is against limits off.
/// </summary>
internal static class OverheadBenchmark
{
    private const int RequestsPerRound = 200;
    private const int Rounds = 40;
    private static readonly JsonSerializerOptions SnakeCase = new() { PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower };

    public static async Task<IEnumerable<(string, string)>> RunAsync()
    {
        await using var server = await EmulatorServer.StartAsync(new EmulatorOptions
        {
            SynthesisSeconds = 0,
            CharactersGet = new(1_000_000, 60_000_000),
        });
        using var client = new AurousClient(new AurousClientOptions
        {
            ApiKey = EmulatorDefaults.TeamAKey,
            BaseUri = server.BaseUri,
            RateLimits = AurousRateLimits.Disabled,
        });
        var stateDirectory = Path.Combine(Path.GetTempPath(), "aurous-bench-" + Guid.NewGuid().ToString("n"));
        var huge = new AurousBucketLimit(1_000_000, 60_000_000);
        using var limited = new AurousClient(new AurousClientOptions
        {
            ApiKey = EmulatorDefaults.TeamAKey,
            BaseUri = server.BaseUri,
            RateLimits = new AurousRateLimits { CharactersGet = huge, SharedStateDirectory = null },
        });
        using var shared = new AurousClient(new AurousClientOptions
        {
            ApiKey = EmulatorDefaults.TeamBKey,
            BaseUri = server.BaseUri,
            RateLimits = new AurousRateLimits { CharactersGet = huge, SharedStateDirectory = stateDirectory },
        });
        var id = (await client.CreateCharacterAsync(new CharacterCreate { Name = "Bench" })).Id;
        var teamBId = (await shared.CreateCharacterAsync(new CharacterCreate { Name = "Bench" })).Id;
        using var bare = new HttpClient { BaseAddress = server.BaseUri };
        bare.DefaultRequestHeaders.Add("X-Api-Key", EmulatorDefaults.TeamAKey);

        async Task Core() => await client.GetCharacterAsync(id);
        async Task InProcessBucket() => await limited.GetCharacterAsync(id);
        async Task SharedBucket() => await shared.GetCharacterAsync(teamBId);
        async Task Bare()
        {
            using var response = await bare.GetAsync($"v1/characters/{id}");
            response.EnsureSuccessStatusCode();
            var character = JsonSerializer.Deserialize<BareCharacter>(await response.Content.ReadAsByteArrayAsync(), SnakeCase)!;
            _ = character.Id;
        }

        await Loop(Core, 300);
        await Loop(Bare, 300);
        await Loop(InProcessBucket, 300);
        await Loop(SharedBucket, 300);
        var coreBytes = await Allocated(Core);
        var bareBytes = await Allocated(Bare);
        var core = new List<(double Wall, double Cpu)>();
        var plain = new List<(double Wall, double Cpu)>();
        var inProcess = new List<(double Wall, double Cpu)>();
        var sharedFile = new List<(double Wall, double Cpu)>();
        for (var round = 0; round < Rounds; round++)
        {
            plain.Add(await Loop(Bare, RequestsPerRound));
            core.Add(await Loop(Core, RequestsPerRound));
            inProcess.Add(await Loop(InProcessBucket, RequestsPerRound));
            sharedFile.Add(await Loop(SharedBucket, RequestsPerRound));
        }

        Directory.Delete(stateDirectory, recursive: true);
        var inProcessUs = Figures.Median(inProcess.Select(r => r.Wall));
        var sharedUs = Figures.Median(sharedFile.Select(r => r.Wall));
        Figures.Note($"overhead of the buckets: in-process {inProcessUs - Figures.Median(core.Select(r => r.Wall)):0.0} us/request, shared state file {sharedUs - Figures.Median(core.Select(r => r.Wall)):0.0} us/request (wall, medians; limits off is the baseline)");

        var coreUs = Figures.Median(core.Select(r => r.Wall));
        var bareUs = Figures.Median(plain.Select(r => r.Wall));
        var coreCpu = Figures.Median(core.Select(r => r.Cpu));
        var bareCpu = Figures.Median(plain.Select(r => r.Cpu));
        Figures.Note($"overhead: core {coreUs:0.0} us/request wall, {coreCpu:0.0} us CPU; bare HttpClient {bareUs:0.0} us wall, {bareCpu:0.0} us CPU (medians of {Rounds} alternating rounds of {RequestsPerRound}; CPU includes the in-process emulator)");
        return new[]
        {
            ("overhead_ratio", Figures.Format(coreUs / bareUs)),
            ("overhead_cpu_ratio", Figures.Format(coreCpu / bareCpu)),
            ("overhead_core_bytes_per_request", Figures.Format(coreBytes)),
            ("overhead_bare_bytes_per_request", Figures.Format(bareBytes)),
            ("overhead_core_us_per_request", Figures.Format(coreUs)),
            ("overhead_bare_us_per_request", Figures.Format(bareUs)),
            ("overhead_in_process_bucket_us_per_request", Figures.Format(inProcessUs)),
            ("overhead_shared_bucket_us_per_request", Figures.Format(sharedUs)),
            ("overhead_shared_bucket_ratio", Figures.Format(sharedUs / coreUs)),
        };
    }

    /// <returns>bytes allocated per request in the whole process (the emulator's share is the same for both).</returns>
    private static async Task<double> Allocated(Func<Task> call)
    {
        var before = GC.GetTotalAllocatedBytes(precise: true);
        for (var i = 0; i < RequestsPerRound; i++)
        {
            await call();
        }

        return Math.Round((GC.GetTotalAllocatedBytes(precise: true) - before) / (double)RequestsPerRound);
    }

    /// <returns>wall-clock and process CPU microseconds per request; CPU is steadier on a busy machine.</returns>
    private static async Task<(double Wall, double Cpu)> Loop(Func<Task> call, int count)
    {
        var process = Process.GetCurrentProcess();
        var cpuBefore = process.TotalProcessorTime;
        var stopwatch = Stopwatch.StartNew();
        for (var i = 0; i < count; i++)
        {
            await call();
        }

        var wall = stopwatch.Elapsed.TotalMicroseconds / count;
        process.Refresh();
        return (wall, (process.TotalProcessorTime - cpuBefore).TotalMicroseconds / count);
    }

    private sealed record BareRef(string Pose, string Url);

    private sealed record BareCharacter(
        string Id, string Name, string Status, IReadOnlyList<BareRef> Refs, DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt,
        Dictionary<string, JsonElement>? Attributes, string? ErrorMessage, string? AurousVersion);
}
