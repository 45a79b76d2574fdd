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

System.Diagnostics.Process? parent = null;
if (commandLine.ParentProcessId is int parentId && (parent = ParentProcess.Find(parentId)) is null)
{
    Console.Error.WriteLine($"--parent-pid {parentId}: no process with that id is running, so the emulator would stop at once.");
    return 1;
}

if (parent is not null)
{
    ParentProcess.DetachFromConsole();
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
catch (DataFolderException ex)
{
    Console.Error.WriteLine(ex.Message);
    return 1;
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
Console.WriteLine($"  any other key {TeamKeys.Prefix}<name> (<name>: 1 to {TeamKeys.MaxNameLength} letters, digits or _) is a team of its own, made on first use");
Console.WriteLine(commandLine.Options.DataPath is { } data
    ? $"  state kept in {Path.Combine(Path.GetFullPath(data), SqliteStateStore.FileName)}: {server.RestoredCharacters} character(s) from before, clock offset {server.Clock.Offset.TotalSeconds:0.###} s"
    : "  state in memory: stopping the emulator forgets it (--data <folder> keeps it)");
Console.WriteLine($"  synthesis {commandLine.Options.SynthesisSeconds}s, failure rate {commandLine.Options.FailureRate}; control calls under {server.BaseUri}_emulator/");
var limits = commandLine.Options;
Console.WriteLine($"  rate limits (burst / per minute): characters_get {limits.CharactersGet.Burst}/{limits.CharactersGet.PerMinute}, characters_post {limits.CharactersPost.Burst}/{limits.CharactersPost.PerMinute}, characters_synthesize {limits.CharactersSynthesize.Burst}/{limits.CharactersSynthesize.PerMinute}");
if (parent is not null)
{
    Console.WriteLine($"  stops when process {parent.Id} exits");
    _ = StopWhenParentExitsAsync(parent, shutdown);
}

Console.WriteLine("Press Ctrl+C to stop.");
try
{
    await server.WaitForShutdownAsync(shutdown.Token);
}
catch (OperationCanceledException)
{
}

return 0;

static async Task StopWhenParentExitsAsync(System.Diagnostics.Process parent, CancellationTokenSource shutdown)
{
    try
    {
        await ParentProcess.WaitForExitAsync(parent, shutdown.Token);
        Console.WriteLine($"Process {parent.Id} exited; stopping.");
        shutdown.Cancel();
    }
    catch (OperationCanceledException)
    {
    }
}
