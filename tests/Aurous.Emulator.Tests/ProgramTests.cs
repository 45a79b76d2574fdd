using System.Diagnostics;
using System.Net;

namespace Aurous.Emulator.Tests;

/// <summary>The real executable, as the README starts it: prints URL and keys, serves, exits on bad input.</summary>
public sealed class ProgramTests
{
    [Fact]
    public async Task The_executable_prints_its_url_and_both_keys_and_serves_the_api()
    {
        using var process = Start("--urls", "http://127.0.0.1:0", "--synthesis-seconds", "0");
        try
        {
            var lines = new List<string>();
            string? line;
            while ((line = await process.StandardOutput.ReadLineAsync().WaitAsync(TimeSpan.FromSeconds(20))) is not null && !line.StartsWith("Press Ctrl+C", StringComparison.Ordinal))
            {
                lines.Add(line);
            }

            var output = string.Join("\n", lines);
            Assert.Contains(EmulatorDefaults.TeamAKey, output);
            Assert.Contains(EmulatorDefaults.TeamBKey, output);
            var url = lines[0][(lines[0].IndexOf("http://", StringComparison.Ordinal))..].Trim();

            using var http = new HttpClient { BaseAddress = new Uri(url) };
            using var request = new HttpRequestMessage(HttpMethod.Post, "v1/characters") { Content = new StringContent("""{"name":"From the CLI"}""") };
            request.Headers.Add("X-Api-Key", EmulatorDefaults.TeamAKey);
            using var response = await http.SendAsync(request);
            Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        }
        finally
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
        }
    }

    [Fact]
    public async Task Help_exits_zero_and_a_bad_option_exits_two_with_a_message()
    {
        using (var help = Start("--help"))
        {
            var text = await help.StandardOutput.ReadToEndAsync();
            await help.WaitForExitAsync();
            Assert.Equal(0, help.ExitCode);
            Assert.Contains("--synthesis-seconds", text);
        }

        using var bad = Start("--failure-rate", "7");
        var error = await bad.StandardError.ReadToEndAsync();
        await bad.WaitForExitAsync();
        Assert.Equal(2, bad.ExitCode);
        Assert.Contains("--failure-rate", error);
    }

    private static Process Start(params string[] args)
    {
        var info = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        info.ArgumentList.Add(typeof(EmulatorServer).Assembly.Location);
        foreach (var arg in args)
        {
            info.ArgumentList.Add(arg);
        }

        return Process.Start(info)!;
    }
}
