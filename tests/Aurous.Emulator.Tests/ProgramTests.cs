using System.Net;

namespace Aurous.Emulator.Tests;

/// <summary>The real executable, as the README starts it: prints URL and keys, serves, exits on bad input.</summary>
public sealed class ProgramTests
{
    [Fact]
    public async Task The_executable_prints_its_url_and_both_keys_and_serves_the_api()
    {
        await using var emulator = ChildProcess.StartBuilt("--urls", "http://127.0.0.1:0", "--synthesis-seconds", "0");
        var (url, output) = await emulator.ReadBannerAsync();
        Assert.Contains(EmulatorDefaults.TeamAKey, output);
        Assert.Contains(EmulatorDefaults.TeamBKey, output);
        Assert.Contains("characters_synthesize 12/6", output);

        using var http = new HttpClient { BaseAddress = url };
        Assert.Equal(HttpStatusCode.Created, await CreateAsync(http));
    }

    [Fact]
    public async Task The_rate_limit_multiplier_scales_the_served_buckets()
    {
        await using var emulator = ChildProcess.StartBuilt("--urls", "http://127.0.0.1:0", "--rate-limit-multiplier", "0.5");
        var (url, output) = await emulator.ReadBannerAsync();
        Assert.Contains("characters_get 120/60, characters_post 30/15, characters_synthesize 6/3", output);

        using var http = new HttpClient { BaseAddress = url };
        for (var call = 1; call <= 6; call++)
        {
            Assert.Equal(HttpStatusCode.Created, await CreateAsync(http));
        }

        using var request = CreateRequest();
        using var limited = await http.SendAsync(request);
        Assert.Equal(HttpStatusCode.TooManyRequests, limited.StatusCode);
        // 3 per minute is one token every 20 s; unscaled it would be 10 s. The wait counts down while the creates run.
        int retryAfter = int.Parse(string.Join(",", limited.Headers.GetValues("Retry-After")), System.Globalization.CultureInfo.InvariantCulture);
        Assert.InRange(retryAfter, 11, 20);
    }

    [Fact]
    public async Task Help_exits_zero_and_a_bad_option_exits_two_with_a_message()
    {
        await using (var help = ChildProcess.StartBuilt("--help"))
        {
            var text = await help.Process.StandardOutput.ReadToEndAsync();
            await help.Process.WaitForExitAsync();
            Assert.Equal(0, help.Process.ExitCode);
            Assert.Contains("--synthesis-seconds", text);
        }

        await using var bad = ChildProcess.StartBuilt("--failure-rate", "7");
        var error = await bad.Process.StandardError.ReadToEndAsync();
        await bad.Process.WaitForExitAsync();
        Assert.Equal(2, bad.Process.ExitCode);
        Assert.Contains("--failure-rate", error);
    }

    [Fact]
    public async Task A_port_in_use_exits_one_with_a_one_line_message_not_a_stack_trace()
    {
        using var holder = new System.Net.Sockets.TcpListener(IPAddress.Loopback, 0);
        holder.Start();
        var port = ((IPEndPoint)holder.LocalEndpoint).Port;

        await using var emulator = ChildProcess.StartBuilt("--urls", $"http://127.0.0.1:{port}");
        var error = await emulator.Process.StandardError.ReadToEndAsync();
        var output = await emulator.Process.StandardOutput.ReadToEndAsync();
        await emulator.Process.WaitForExitAsync();

        Assert.Equal(1, emulator.Process.ExitCode);
        Assert.Contains($"Cannot listen on http://127.0.0.1:{port} (", error); // then the OS's own words for "in use"
        Assert.DoesNotContain("   at ", error + output);
    }

    [Fact]
    public async Task With_a_parent_pid_the_emulator_stops_when_that_process_exits()
    {
        await using var parent = LongRunningProcess();
        await using var emulator = ChildProcess.StartBuilt("--urls", "http://127.0.0.1:0", "--parent-pid", parent.Process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture));
        var (url, output) = await emulator.ReadBannerAsync();
        Assert.Contains($"stops when process {parent.Process.Id} exits", output);
        using (var http = new HttpClient { BaseAddress = url })
        {
            Assert.Equal(HttpStatusCode.Created, await CreateAsync(http));
        }

        parent.Process.Kill();
        var rest = await emulator.Process.StandardOutput.ReadToEndAsync().WaitAsync(TimeSpan.FromSeconds(30));
        await emulator.Process.WaitForExitAsync();
        Assert.Equal(0, emulator.Process.ExitCode);
        Assert.Contains($"Process {parent.Process.Id} exited; stopping.", rest);
    }

    [Fact]
    public async Task On_linux_a_parent_that_ended_but_was_not_reaped_counts_as_exited()
    {
        if (!OperatingSystem.IsLinux())
        {
            return; // zombies, and /proc to see them by, are Linux's
        }

        // The background sleep's parent becomes the outer sleep, which never waits for it: killed, it stays a zombie.
        await using var outer = ChildProcess.Start("sh", ["-c", "sleep 600 & echo $!; exec sleep 600"]);
        var zombie = int.Parse((await outer.Process.StandardOutput.ReadLineAsync())!, System.Globalization.CultureInfo.InvariantCulture);
        await using var emulator = ChildProcess.StartBuilt("--urls", "http://127.0.0.1:0", "--parent-pid", zombie.ToString(System.Globalization.CultureInfo.InvariantCulture));
        await emulator.ReadBannerAsync();

        System.Diagnostics.Process.GetProcessById(zombie).Kill();
        var rest = await emulator.Process.StandardOutput.ReadToEndAsync().WaitAsync(TimeSpan.FromSeconds(30));
        Assert.Contains($"Process {zombie} exited; stopping.", rest);
        var stat = await File.ReadAllTextAsync($"/proc/{zombie}/stat");
        Assert.Equal('Z', stat[stat.LastIndexOf(')') + 2]); // still unreaped: the emulator did not wait for it to vanish
    }

    [Fact]
    public async Task A_parent_pid_that_is_not_running_exits_one_before_listening()
    {
        int gone;
        await using (var parent = ChildProcess.Start("dotnet", ["--version"]))
        {
            await parent.Process.WaitForExitAsync();
            gone = parent.Process.Id;
        }

        await using var emulator = ChildProcess.StartBuilt("--urls", "http://127.0.0.1:0", "--parent-pid", gone.ToString(System.Globalization.CultureInfo.InvariantCulture));
        var error = await emulator.Process.StandardError.ReadToEndAsync();
        await emulator.Process.WaitForExitAsync();
        Assert.Equal(1, emulator.Process.ExitCode);
        Assert.Contains($"--parent-pid {gone}", error);
    }

    [Fact]
    public async Task A_second_emulator_on_a_data_folder_in_use_exits_one_naming_it()
    {
        using var data = new DataFolder();
        await using var first = ChildProcess.StartBuilt("--urls", "http://127.0.0.1:0", "--data", data.Path);
        var (url, _) = await first.ReadBannerAsync();

        await using var second = ChildProcess.StartBuilt("--urls", "http://127.0.0.1:0", "--data", data.Path);
        var error = await second.Process.StandardError.ReadToEndAsync();
        await second.Process.WaitForExitAsync();
        Assert.Equal(1, second.Process.ExitCode);
        Assert.Contains($"Cannot keep state in {Path.Combine(data.Path, SqliteStateStore.FileName)} (another emulator is using it", error);
        Assert.DoesNotContain("   at ", error);

        using var http = new HttpClient { BaseAddress = url };
        Assert.Equal(HttpStatusCode.Created, await CreateAsync(http));
    }

    [Fact]
    public async Task A_data_path_that_is_a_file_exits_one_with_a_one_line_message()
    {
        using var data = new DataFolder();
        var file = Path.Combine(data.Path, "not-a-folder");
        await File.WriteAllTextAsync(file, "x");
        await using var emulator = ChildProcess.StartBuilt("--urls", "http://127.0.0.1:0", "--data", file);
        var error = await emulator.Process.StandardError.ReadToEndAsync();
        await emulator.Process.WaitForExitAsync();
        Assert.Equal(1, emulator.Process.ExitCode);
        Assert.StartsWith($"Cannot keep state in {Path.Combine(file, SqliteStateStore.FileName)} (", error);
        Assert.DoesNotContain("   at ", error);
    }

    /// <summary>A process that runs until killed, to stand for the PowerShell session that started an emulator.</summary>
    private static ChildProcess LongRunningProcess() =>
        OperatingSystem.IsWindows() ? ChildProcess.Start("ping", ["-n", "600", "127.0.0.1"]) : ChildProcess.Start("sleep", ["600"]);

    private static HttpRequestMessage CreateRequest()
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "v1/characters") { Content = new StringContent("""{"name":"From the CLI"}""") };
        request.Headers.Add("X-Api-Key", EmulatorDefaults.TeamAKey);
        return request;
    }

    private static async Task<HttpStatusCode> CreateAsync(HttpClient http)
    {
        using var request = CreateRequest();
        using var response = await http.SendAsync(request);
        return response.StatusCode;
    }
}
