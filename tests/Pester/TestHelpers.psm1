<#
    What every Pester file shares: the module under test, an emulator process of its own, and the emulator's control
    calls, all through the commands the module ships (Start-AurousEmulator, Reset-AurousEmulator, ...), so the suite
    tests them as it goes. Each file starts one emulator in BeforeAll and stops it in AfterAll, so files never see
    each other's characters, ledgers or faults. The emulator's rate limits are raised (--rate-limit-multiplier) and the module
    is connected with the same multiplier, so tests never wait on the documented buckets unless they mean to.
#>

Set-StrictMode -Version Latest

$script:RepositoryRoot = (Resolve-Path (Join-Path $PSScriptRoot '../..')).Path
$script:Emulator = $null
$script:Opener = $null

$TeamAKey = 'al_live_emulator_team_a'
$TeamBKey = 'al_live_emulator_team_b'

# The laid-out module (out/Aurous/<version>/), exactly as Install-Module installs it; AUROUS_MODULE_MANIFEST overrides.
function Get-TestModuleManifest {
    if ($env:AUROUS_MODULE_MANIFEST) {
        return (Resolve-Path $env:AUROUS_MODULE_MANIFEST).Path
    }

    $props = [xml](Get-Content -Raw (Join-Path $script:RepositoryRoot 'Directory.Build.props'))
    $version = @($props.Project.PropertyGroup | ForEach-Object { $_.VersionPrefix } | Where-Object { $_ })[0]
    $manifest = Join-Path $script:RepositoryRoot "out/Aurous/$version/Aurous.psd1"
    if (-not (Test-Path $manifest)) {
        throw "No module layout at ${manifest}: run 'dotnet build src/Aurous.PowerShell -c Release' first."
    }

    $manifest
}

function Import-TestModule {
    Import-Module (Get-TestModuleManifest) -Force -ErrorAction Stop -Global
}

<#
    Starts the built emulator with the module's own Start-AurousEmulator (-Path: the dll from this checkout, run by
    dotnet), on a free port, without connecting: Connect-TestEmulator picks the team. Synthesis never ends by itself
    unless -SynthesisSeconds says so: tests finish characters through Complete-TestCharacter, so no outcome depends on
    timing. The emulator ends with this process (--parent-pid) if AfterAll never runs.
#>
function Start-TestEmulator {
    param(
        [double] $SynthesisSeconds = 3600,
        [double] $RateLimitMultiplier = 50,
        [int] $Credits = 1000,
        # A port of the test's choosing (an endpoint that was dead a moment ago); a free one by default.
        [int] $Port = 0
    )

    if ($script:Emulator) { Stop-TestEmulator }
    $script:Emulator = Start-AurousEmulator -Path (Get-TestEmulatorPath) -NoConnect -SynthesisSeconds $SynthesisSeconds `
        -RateLimitMultiplier $RateLimitMultiplier -Credits $Credits -Port $Port -ErrorAction Stop
    $script:Emulator
}

# The emulator built from this checkout (dotnet build of the solution builds it).
function Get-TestEmulatorPath {
    $dll = @('Release', 'Debug') |
        ForEach-Object { Join-Path $script:RepositoryRoot "src/Aurous.Emulator/bin/$_/net10.0/Aurous.Emulator.dll" } |
        Where-Object { Test-Path $_ } |
        Select-Object -First 1
    if (-not $dll) { throw "The emulator is not built: run 'dotnet build src/Aurous.Emulator -c Release' first." }
    $dll
}

<#
    Installs the emulator's tool package from out/ into a folder of its own, as a user installs it (dotnet tool install,
    with out/ the only source and a private package cache: no network, no older copy of the same version), and returns
    that folder. Put it first on PATH and Start-AurousEmulator finds aurous-emulator there, with no -Path.
#>
function Install-TestEmulatorTool {
    $props = [xml](Get-Content -Raw (Join-Path $script:RepositoryRoot 'Directory.Build.props'))
    $version = @($props.Project.PropertyGroup | ForEach-Object { $_.VersionPrefix } | Where-Object { $_ })[0]
    $out = Join-Path $script:RepositoryRoot 'out'
    if (-not (Test-Path (Join-Path $out "Aurous.Emulator.$version.nupkg"))) {
        throw "No emulator package in ${out}: run 'dotnet build Aurous.PowerShell.sln -c Release' first."
    }

    $folder = Join-Path ([System.IO.Path]::GetTempPath()) "aurous-emulator-tool-$([guid]::NewGuid().ToString('n'))"
    $null = New-Item -ItemType Directory -Path $folder
    $config = Join-Path $folder 'nuget.config'
    Set-Content -Path $config -Value "<?xml version=`"1.0`" encoding=`"utf-8`"?><configuration><packageSources><clear /><add key=`"out`" value=`"$([System.Security.SecurityElement]::Escape($out))`" /></packageSources></configuration>"
    $saved = $env:NUGET_PACKAGES
    try {
        $env:NUGET_PACKAGES = Join-Path $folder 'packages'
        $log = & dotnet tool install Aurous.Emulator --tool-path (Join-Path $folder 'tools') --configfile $config --version $version 2>&1
        if ($LASTEXITCODE -ne 0) { throw "dotnet tool install failed: $log" }
    }
    finally {
        $env:NUGET_PACKAGES = $saved
    }

    Join-Path $folder 'tools'
}

function Stop-TestEmulator {
    if (-not $script:Emulator) { return }
    $script:Emulator | Stop-AurousEmulator
    $script:Emulator = $null
}

function Get-TestEmulator {
    if (-not $script:Emulator) { throw 'No emulator: call Start-TestEmulator in BeforeAll.' }
    $script:Emulator
}

# Connects the module to this file's emulator as team A (or B), with the emulator's raised limits.
function Connect-TestEmulator {
    param([string] $ApiKey = $TeamAKey)
    $emulator = Get-TestEmulator
    Connect-Aurous -ApiKey (ConvertTo-SecureString $ApiKey -AsPlainText -Force) -BaseUri $emulator.BaseUri `
        -RateLimitMultiplier $emulator.RateLimitMultiplier
}

<#
    What most files need in BeforeAll: the module imported, an emulator of the file's own, and the module connected
    to it. Stop-TestSession in AfterAll undoes all three. Returns the emulator (BaseUri, RateLimitMultiplier).
#>
function Start-TestSession {
    param([double] $SynthesisSeconds = 3600)
    Import-TestModule
    $emulator = Start-TestEmulator -SynthesisSeconds $SynthesisSeconds
    Connect-TestEmulator
    $emulator
}

function Stop-TestSession {
    if (Get-Command Disconnect-Aurous -ErrorAction SilentlyContinue) { Disconnect-Aurous }
    Stop-TestEmulator
}

<#
    The shipped control commands, pinned to this file's emulator and to team A unless told otherwise, whatever the
    session is connected to at the time (tests reconnect as team B, or disconnect, to try things).
#>

# Back to the seeded state: two teams with full credits, no characters, ledger, faults or bucket debt, here or on the server.
function Reset-TestEmulator { Reset-AurousEmulator -All -Emulator (Get-TestEmulator) -Confirm:$false }

function Get-TestLedger {
    param([string] $Team = 'team_a')
    Get-AurousEmulatorLedger -Emulator (Get-TestEmulator) -Team $Team
}

function Set-TestCredits {
    param([Parameter(Mandatory)] [int] $Credits, [string] $Team = 'team_a')
    Set-AurousEmulatorCredit -Credits $Credits -Team $Team -Emulator (Get-TestEmulator) -Confirm:$false
}

# Reads a character as the emulator holds it (any team, deleted included), spending no rate-limit budget; the module
# ships no command for this, since a script under test has Get-AurousCharacter.
function Read-TestCharacter {
    param([Parameter(Mandatory)] [string] $Id)
    Invoke-RestMethod -Uri "$((Get-TestEmulator).BaseUri)_emulator/characters/$Id"
}

# Ends a running synthesis now: reviewing, or failed with an error message.
function Complete-TestCharacter {
    param(
        [Parameter(Mandatory, ValueFromPipeline, ValueFromPipelineByPropertyName)] [string] $Id,
        [ValidateSet('reviewing', 'failed')] [string] $Outcome = 'reviewing',
        [string] $ErrorMessage
    )
    process {
        $failed = @{}
        if ($Outcome -eq 'failed') { $failed.Failed = $true }
        if ($ErrorMessage) { $failed.ErrorMessage = $ErrorMessage }
        $null = Complete-AurousEmulatorSynthesis -Id $Id -Emulator (Get-TestEmulator) -Confirm:$false -ErrorAction Stop @failed
    }
}

<#
    Adds a fault rule: -Count for the next N requests of a route, or -Rate for a share of them.
    Kinds: error_500, rate_limit (-RetryAfterSeconds), delay (-DelayMs), drop_after_commit.
#>
function Add-TestFault {
    param(
        [Parameter(Mandatory)] [string] $Route,
        [Parameter(Mandatory)] [string] $Kind,
        [int] $Count,
        [double] $Rate,
        [int] $RetryAfterSeconds,
        [int] $DelayMs
    )
    $fault = @{ Route = $Route; Kind = $Kind; Emulator = (Get-TestEmulator); Confirm = $false; ErrorAction = 'Stop' }
    if ($PSBoundParameters.ContainsKey('Count')) { $fault.Count = $Count }
    if ($PSBoundParameters.ContainsKey('Rate')) { $fault.Rate = $Rate }
    if ($PSBoundParameters.ContainsKey('RetryAfterSeconds')) { $fault.RetryAfterSeconds = $RetryAfterSeconds }
    if ($PSBoundParameters.ContainsKey('DelayMs')) { $fault.DelayMilliseconds = $DelayMs }
    Add-AurousEmulatorFault @fault
}

function Clear-TestFault { Clear-AurousEmulatorFault -Emulator (Get-TestEmulator) -Confirm:$false }

<#
    A stand-in for the API that answers in shapes the emulator never uses (the emulator keeps its own): a loopback
    HttpListener that answers each "METHOD /path?query" in -Answer with its status and JSON body, anything else with
    404. Returns BaseUri and Stop; call Stop in AfterAll.
#>
function Start-TestStub {
    param([Parameter(Mandatory)] [hashtable] $Answer)

    # A free port: bind port 0, read the port, release it for the listener.
    $probe = [System.Net.Sockets.TcpListener]::new([System.Net.IPAddress]::Loopback, 0)
    $probe.Start()
    $port = $probe.LocalEndpoint.Port
    $probe.Stop()

    $listener = [System.Net.HttpListener]::new()
    $listener.Prefixes.Add("http://127.0.0.1:$port/")
    $listener.Start()
    $ps = [powershell]::Create()
    $null = $ps.AddScript({
            param($Listener, $Answer)
            while ($Listener.IsListening) {
                try { $context = $Listener.GetContext() } catch { break }
                $key = "$($context.Request.HttpMethod) $($context.Request.Url.PathAndQuery)"
                $reply = if ($Answer.ContainsKey($key)) { $Answer[$key] } else { @{ Status = 404; Body = '{"error":{"type":"invalid_request_error","code":"resource_not_found","message":"No such route on the stub.","param":null}}' } }
                $bytes = [System.Text.Encoding]::UTF8.GetBytes($reply.Body)
                $context.Response.StatusCode = $reply.Status
                $context.Response.ContentType = 'application/json'
                $context.Response.Headers['Request-Id'] = 'req_stub'
                $context.Response.OutputStream.Write($bytes, 0, $bytes.Length)
                $context.Response.Close()
            }
        }).AddArgument($listener).AddArgument($Answer)
    $null = $ps.BeginInvoke()

    [pscustomobject]@{
        BaseUri = "http://127.0.0.1:$port/"
        Stop    = { $listener.Stop(); $ps.Dispose() }.GetNewClosure()
    }
}

# Creates characters through the module, as a user would, and returns them (synthesizing until completed).
function New-TestCharacter {
    param(
        [Parameter(Mandatory)] [string[]] $Name,
        [switch] $Complete
    )
    foreach ($n in $Name) {
        $character = New-AurousCharacter -Name $n -Attributes @{ gender = 'female'; age = 28; hair_color = 'black'; eye_color = 'brown' } -Confirm:$false -ErrorAction Stop
        if ($Complete) { Complete-TestCharacter -Id $character.Id }
        $character
    }
}

# The command line that starts this same pwsh (a dotnet tool runs as 'dotnet pwsh.dll', an installed pwsh as itself).
function Get-TestPwshCommand {
    $process = [Environment]::ProcessPath
    if ([System.IO.Path]::GetFileNameWithoutExtension($process) -eq 'dotnet') {
        return @($process, (Join-Path $PSHOME 'pwsh.dll'))
    }
    @($process)
}

<#
    A folder holding stand-ins for the programs that open a file in the browser (xdg-open, open), which only write
    their argument as a line to opened.log in the same folder. Invoke-TestPwsh empties the log and puts the folder
    first on PATH, so no test ever opens a real browser, and a test can read what its run would have opened.
#>
function Get-TestOpener {
    if (-not $script:Opener) {
        $folder = Join-Path ([System.IO.Path]::GetTempPath()) "aurous-opener-$([guid]::NewGuid().ToString('n'))"
        $null = New-Item -ItemType Directory -Path $folder
        foreach ($name in 'xdg-open', 'open') {
            $file = Join-Path $folder $name
            Set-Content -Path $file -Value "#!/bin/sh`necho `"`$1`" >> '$(Join-Path $folder 'opened.log')'"
            if (-not $IsWindows) { chmod +x $file }
        }
        $script:Opener = [pscustomobject]@{ Folder = $folder; Log = (Join-Path $folder 'opened.log') }
    }
    $script:Opener
}

<#
    Runs a script in a new pwsh process with the module imported (and connected to this file's emulator unless
    -NoConnect), feeding -InputLine to its standard input, which answers prompts as a person at the console would.
    -NonInteractive starts it as a scheduled job does, where any prompt is an error.
    Returns everything the process printed, host output (What if:, prompts) included, as one string.
#>
function Invoke-TestPwsh {
    param(
        [Parameter(Mandatory)] [string] $Script,
        [string[]] $InputLine = @(),
        [switch] $NoConnect,
        [switch] $NonInteractive,
        [hashtable] $Environment = @{}
    )
    $preamble = "`$ErrorActionPreference = 'Continue'`nImport-Module '$(Get-TestModuleManifest)' -ErrorAction Stop`n"
    if (-not $NoConnect) {
        $emulator = Get-TestEmulator
        $preamble += "Connect-Aurous -ApiKey (ConvertTo-SecureString '$TeamAKey' -AsPlainText -Force) -BaseUri '$($emulator.BaseUri)' -RateLimitMultiplier $($emulator.RateLimitMultiplier)`n"
    }
    $file = Join-Path ([System.IO.Path]::GetTempPath()) "aurous-test-$([guid]::NewGuid().ToString('n')).ps1"
    Set-Content -Path $file -Value ($preamble + $Script)
    # Each run starts with no page opened.
    Remove-Item -Path (Get-TestOpener).Log -ErrorAction SilentlyContinue
    # Stand-in browser openers come first on PATH, also in front of a PATH the caller gives.
    $Environment = @{} + $Environment
    $Environment['PATH'] = (Get-TestOpener).Folder + [System.IO.Path]::PathSeparator + $(if ($Environment.ContainsKey('PATH')) { $Environment['PATH'] } else { $env:PATH })
    $saved = @{}
    foreach ($name in $Environment.Keys) {
        $saved[$name] = [Environment]::GetEnvironmentVariable($name)
        [Environment]::SetEnvironmentVariable($name, $Environment[$name])
    }
    try {
        $command = @(Get-TestPwshCommand)
        $exe = $command[0]
        $arguments = @($command | Select-Object -Skip 1) + @('-NoProfile') + @(if ($NonInteractive) { '-NonInteractive' }) + @('-File', $file)
        ($InputLine | & $exe @arguments 2>&1 | Out-String)
    }
    finally {
        foreach ($name in $saved.Keys) { [Environment]::SetEnvironmentVariable($name, $saved[$name]) }
        Remove-Item -Path $file -ErrorAction SilentlyContinue
    }
}

<#
    Runs a script block in a fresh runspace of this process, with the module connected to this file's emulator
    unless -NoConnect, and returns every stream: Output, Error, Warning, Verbose, Debug, Information, Progress.
#>
function Invoke-InTestRunspace {
    param(
        [Parameter(Mandatory)] [scriptblock] $ScriptBlock,
        [object[]] $ArgumentList = @(),
        [switch] $NoConnect,
        # Where relative paths land: a new runspace starts in the process's directory, the checkout under build.ps1.
        [string] $WorkingDirectory
    )
    $ps = [powershell]::Create()
    try {
        if ($WorkingDirectory) {
            $null = $ps.AddCommand('Set-Location').AddParameter('LiteralPath', $WorkingDirectory).AddStatement()
        }
        $null = $ps.AddCommand('Import-Module').AddParameter('Name', (Get-TestModuleManifest)).AddParameter('ErrorAction', 'Stop').AddStatement()
        if (-not $NoConnect) {
            $emulator = Get-TestEmulator
            $null = $ps.AddCommand('Connect-Aurous').AddParameter('ApiKey', (ConvertTo-SecureString $TeamAKey -AsPlainText -Force)).
                AddParameter('BaseUri', $emulator.BaseUri).AddParameter('RateLimitMultiplier', $emulator.RateLimitMultiplier).
                # Set-up, not the test: a fault a test injected on the list route must meet the test's own call.
                AddParameter('SkipCheck').AddStatement()
        }
        $null = $ps.AddScript($ScriptBlock.ToString())
        foreach ($argument in $ArgumentList) { $null = $ps.AddArgument($argument) }
        $output = $ps.Invoke()
        [pscustomobject]@{
            Output      = @($output)
            Error       = @($ps.Streams.Error)
            Warning     = @($ps.Streams.Warning)
            Verbose     = @($ps.Streams.Verbose)
            Debug       = @($ps.Streams.Debug)
            Information = @($ps.Streams.Information)
            Progress    = @($ps.Streams.Progress)
        }
    }
    finally {
        $ps.Dispose()
    }
}

<#
    Starts a script block in a fresh runspace of this process, with the module connected to this file's emulator, and
    returns at once ({ PowerShell; Handle }): the test reads -Output as it fills, then ends or stops the run and
    disposes of it. One script, not a batch of statements: a batch stopped or disposed while it runs still reads its
    runspace from the thread pool afterwards, which ends the whole pwsh process.
#>
function Start-InTestRunspace {
    param(
        [Parameter(Mandatory)] [scriptblock] $ScriptBlock,
        [object[]] $ArgumentList = @(),
        [System.Management.Automation.PSDataCollection[psobject]] $Output = [System.Management.Automation.PSDataCollection[psobject]]::new()
    )
    $emulator = Get-TestEmulator
    $ps = [powershell]::Create()
    $null = $ps.AddScript({
            param($Manifest, $Key, $BaseUri, $Multiplier, $Script, $Arguments)
            Import-Module $Manifest -ErrorAction Stop
            Connect-Aurous -ApiKey (ConvertTo-SecureString $Key -AsPlainText -Force) -BaseUri $BaseUri -RateLimitMultiplier $Multiplier -SkipCheck
            & ([scriptblock]::Create($Script)) @Arguments
        }).AddArgument((Get-TestModuleManifest)).AddArgument($TeamAKey).AddArgument($emulator.BaseUri).
        AddArgument($emulator.RateLimitMultiplier).AddArgument($ScriptBlock.ToString()).AddArgument($ArgumentList)
    [pscustomobject]@{
        PowerShell = $ps
        Handle     = $ps.BeginInvoke([System.Management.Automation.PSDataCollection[psobject]] $null, $Output)
    }
}

# What a PATCH could change, as text to compare; ref URLs are left out because their signed tokens differ per read.
function Get-TestCharacterState {
    param([Parameter(Mandatory)] [string] $Id)
    Read-TestCharacter -Id $Id | Select-Object name, status, updated_at, attributes | ConvertTo-Json -Depth 5 -Compress
}

<#
    The examples of a cmdlet's help that are written for the emulator (their title or text says so), as Get-Help
    shows them: the code from the example's code (build.ps1 moves it there out of PlatyPS 1.0's fence), else from a
    fence left in its text.
#>
function Get-EmulatorExample {
    param([Parameter(Mandatory)] [string] $Name)
    foreach ($example in (Get-Help $Name -Full).examples.example) {
        $parts = foreach ($property in 'introduction', 'code', 'remarks') {
            foreach ($item in @($example.PSObject.Properties[$property].Value)) {
                if ($item -and $item.PSObject.Properties['Text']) { $item.Text } else { "$item" }
            }
        }
        $text = $parts -join "`n"
        $fence = [regex]::Match($text, '(?s)```powershell\r?\n(.*?)\r?\n```')
        $code = if ($fence.Success) { $fence.Groups[1].Value } else { "$($example.code)" }
        $explanation = if ($fence.Success) { $text.Remove($fence.Index, $fence.Length) } else { $text }
        $title = $example.title.Trim(' -')
        if ($code -and ($title + $explanation) -match 'emulator') {
            [pscustomobject]@{ Title = $title; Code = $code; Explanation = $explanation }
        }
    }
}

<#
    Garnet, Microsoft's Redis-protocol server, from the garnet-server tool pinned in .config/dotnet-tools.json: the
    path of its server, or $null when 'dotnet tool restore' has not installed it (Get-TestGarnetMissing says so).
#>
function Get-TestGarnetServer {
    $manifest = Get-Content -Raw (Join-Path $script:RepositoryRoot '.config/dotnet-tools.json') | ConvertFrom-Json
    $tool = $manifest.tools.PSObject.Properties['garnet-server']
    if (-not $tool) { return $null }
    $packages = if ($env:NUGET_PACKAGES) { $env:NUGET_PACKAGES } else { Join-Path ([Environment]::GetFolderPath('UserProfile')) '.nuget/packages' }
    $tools = Join-Path $packages "garnet-server/$($tool.Value.version)/tools"
    if (-not (Test-Path $tools)) { return $null }
    Get-ChildItem -Path $tools -Filter GarnetServer.dll -Recurse | Sort-Object FullName -Descending | Select-Object -First 1 -ExpandProperty FullName
}

function Get-TestGarnetMissing {
    if (Get-TestGarnetServer) { return $null }
    "Garnet (the garnet-server tool pinned in .config/dotnet-tools.json) is not installed: run 'dotnet tool restore' in $script:RepositoryRoot."
}

<#
    Starts Garnet on a free loopback port, in memory, with Lua (run as transactions, as Redis runs scripts) and the
    given password, and waits until it accepts connections. Returns Port, Configuration (the StackExchange.Redis
    string a client uses) and Process; Stop-TestGarnet stops it.
#>
function Start-TestGarnet {
    param([string] $Password)
    $server = Get-TestGarnetServer
    if (-not $server) { throw (Get-TestGarnetMissing) }
    $listener = [System.Net.Sockets.TcpListener]::new([System.Net.IPAddress]::Loopback, 0)
    $listener.Start()
    $port = $listener.LocalEndpoint.Port
    $listener.Stop()

    $log = Join-Path ([System.IO.Path]::GetTempPath()) "aurous-garnet-$([guid]::NewGuid().ToString('n'))"
    $arguments = @($server, '--port', $port, '--bind', '127.0.0.1', '--lua', '--lua-transaction-mode', '-m', '64m', '-p', '1m', '-s', '32m', '-i', '1m', '--logger-level', 'Error')
    if ($Password) { $arguments += @('--auth', 'Password', '--password', $Password) }
    $saved = $env:DOTNET_ROLL_FORWARD
    $env:DOTNET_ROLL_FORWARD = 'Major'
    try {
        $process = Start-Process -FilePath 'dotnet' -ArgumentList $arguments -PassThru -NoNewWindow -RedirectStandardOutput "$log.out" -RedirectStandardError "$log.err"
    }
    finally {
        $env:DOTNET_ROLL_FORWARD = $saved
    }

    $deadline = [DateTime]::UtcNow.AddSeconds(120)
    while (-not (Select-String -Path "$log.out" -Pattern 'Ready to accept connections' -Quiet -ErrorAction SilentlyContinue)) {
        if ($process.HasExited -or [DateTime]::UtcNow -gt $deadline) {
            if (-not $process.HasExited) { Stop-Process -Id $process.Id -Force }
            throw "Garnet did not start on port ${port}: $(Get-Content -Raw "$log.err" -ErrorAction SilentlyContinue)"
        }
        Start-Sleep -Milliseconds 100
    }

    [pscustomobject]@{
        Port          = $port
        Configuration = "127.0.0.1:$port" + $(if ($Password) { ",password=$Password" } else { '' })
        Process       = $process
        Log           = $log
    }
}

function Stop-TestGarnet {
    param([Parameter(Mandatory)] [object] $Garnet)
    if (-not $Garnet.Process.HasExited) {
        Stop-Process -Id $Garnet.Process.Id -Force -ErrorAction SilentlyContinue
        $null = $Garnet.Process.WaitForExit(10000)
    }
    Remove-Item -Path "$($Garnet.Log).out", "$($Garnet.Log).err" -ErrorAction SilentlyContinue
}

Export-ModuleMember -Function * -Variable TeamAKey, TeamBKey
