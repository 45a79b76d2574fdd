using Aurous.Emulator;

EmulatorCommandLine commandLine;
try
{
    commandLine = EmulatorCommandLine.Parse(args);
}
catch (FormatException ex)
{
    Console.Error.WriteLine(ex.Message);
    return 2;
}

if (commandLine.ShowHelp)
{
    Console.WriteLine(EmulatorCommandLine.Usage);
    return 0;
}

using var shutdown = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) =>
{
    e.Cancel = true;
    shutdown.Cancel();
};

EmulatorServer server;
try
{
    server = await EmulatorServer.StartAsync(commandLine.Options, commandLine.Url, consoleLogging: true, shutdown.Token);
}
catch (IOException ex)
{
    Console.Error.WriteLine($"Cannot listen on {commandLine.Url} ({(ex.InnerException ?? ex).Message.TrimEnd('.')}). Another program may hold that port: pick another with --urls, or port 0 for any free one.");
    return 1;
}

await using var running = server;
Console.WriteLine($"Aurous API emulator listening on {server.BaseUri}");
Console.WriteLine($"  {EmulatorDefaults.TeamA}: X-Api-Key {EmulatorDefaults.TeamAKey} ({commandLine.Options.InitialCredits} credits)");
Console.WriteLine($"  {EmulatorDefaults.TeamB}: X-Api-Key {EmulatorDefaults.TeamBKey} ({commandLine.Options.InitialCredits} credits)");
Console.WriteLine($"  synthesis {commandLine.Options.SynthesisSeconds}s, failure rate {commandLine.Options.FailureRate}; control calls under {server.BaseUri}_emulator/");
var limits = commandLine.Options;
Console.WriteLine($"  rate limits (burst / per minute): characters_get {limits.CharactersGet.Burst}/{limits.CharactersGet.PerMinute}, characters_post {limits.CharactersPost.Burst}/{limits.CharactersPost.PerMinute}, characters_synthesize {limits.CharactersSynthesize.Burst}/{limits.CharactersSynthesize.PerMinute}");
Console.WriteLine("Press Ctrl+C to stop.");
try
{
    await server.WaitForShutdownAsync(shutdown.Token);
}
catch (OperationCanceledException)
{
}

return 0;
