using System.Diagnostics;
using System.Text.Json;
using Aurous.Emulator;

namespace Aurous.Client.Benchmarks;

/// <summary>
/// overhead_ratio: per-request time of AurousClient.GetCharacterAsync against a bare HttpClient loop that
/// sends the same GET with the key and deserialises the body into a plain object (what a script without the
/// core would do), on the same emulator, client limits off. Rounds alternate so machine noise hits both
/// alike; the ratio is of the medians.
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
        var id = (await client.CreateCharacterAsync(new CharacterCreate { Name = "Bench" })).Id;
        using var bare = new HttpClient { BaseAddress = server.BaseUri };
        bare.DefaultRequestHeaders.Add("X-Api-Key", EmulatorDefaults.TeamAKey);

        async Task Core() => await client.GetCharacterAsync(id);
        async Task Bare()
        {
            using var response = await bare.GetAsync($"v1/characters/{id}");
            response.EnsureSuccessStatusCode();
            var character = JsonSerializer.Deserialize<BareCharacter>(await response.Content.ReadAsByteArrayAsync(), SnakeCase)!;
            _ = character.Id;
        }

        await Loop(Core, 300);
        await Loop(Bare, 300);
        var coreBytes = await Allocated(Core);
        var bareBytes = await Allocated(Bare);
        var core = new List<(double Wall, double Cpu)>();
        var plain = new List<(double Wall, double Cpu)>();
        for (var round = 0; round < Rounds; round++)
        {
            plain.Add(await Loop(Bare, RequestsPerRound));
            core.Add(await Loop(Core, RequestsPerRound));
        }

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
