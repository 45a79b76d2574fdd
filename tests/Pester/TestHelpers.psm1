<#
    What every Pester file shares: the module under test, an emulator process of its own, and the emulator's control
    calls. Each file starts one emulator in BeforeAll and stops it in AfterAll, so files never see each other's
    characters, ledgers or faults. The emulator's rate limits are raised (--rate-limit-multiplier) and the module
    is connected with the same multiplier, so tests never wait on the documented buckets unless they mean to.
#>

Set-StrictMode -Version Latest

$script:RepositoryRoot = (Resolve-Path (Join-Path $PSScriptRoot '../..')).Path
$script:Emulator = $null

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
    Starts the built emulator (dotnet <dll>, not 'dotnet run', so stopping the process stops the server) on a free
    port it picks itself, and waits for its banner. Synthesis never ends by itself unless -SynthesisSeconds says so:
    tests finish characters through Complete-TestCharacter, so no outcome depends on timing.
#>
function Start-TestEmulator {
    param(
        [double] $SynthesisSeconds = 3600,
        [double] $RateLimitMultiplier = 50,
        [int] $Credits = 1000,
        [string[]] $ExtraArgument = @()
    )

    if ($script:Emulator) { Stop-TestEmulator }
    $dll = @('Release', 'Debug') |
        ForEach-Object { Join-Path $script:RepositoryRoot "src/Aurous.Emulator/bin/$_/net10.0/Aurous.Emulator.dll" } |
        Where-Object { Test-Path $_ } |
        Select-Object -First 1
    if (-not $dll) { throw "The emulator is not built: run 'dotnet build src/Aurous.Emulator -c Release' first." }

    $log = Join-Path ([System.IO.Path]::GetTempPath()) "aurous-emulator-$([guid]::NewGuid().ToString('n'))"
    $arguments = @($dll, '--urls', 'http://127.0.0.1:0', '--synthesis-seconds', $SynthesisSeconds,
        '--rate-limit-multiplier', $RateLimitMultiplier, '--credits', $Credits) + $ExtraArgument
    $process = Start-Process -FilePath 'dotnet' -ArgumentList $arguments -PassThru -NoNewWindow `
        -RedirectStandardOutput "$log.out" -RedirectStandardError "$log.err"

    $deadline = [DateTime]::UtcNow.AddSeconds(60)
    $baseUri = $null
    while (-not $baseUri) {
        $banner = Get-Content -Path "$log.out" -TotalCount 1 -ErrorAction SilentlyContinue
        if ($banner -match 'listening on (http://\S+)') {
            $baseUri = $Matches[1]
            break
        }
        if ($process.HasExited -or [DateTime]::UtcNow -gt $deadline) {
            if (-not $process.HasExited) { Stop-Process -Id $process.Id -Force }
            throw "The emulator did not start: $(Get-Content -Raw "$log.err" -ErrorAction SilentlyContinue)"
        }
        Start-Sleep -Milliseconds 100
    }

    $script:Emulator = [pscustomobject]@{
        BaseUri             = $baseUri.TrimEnd('/') + '/'
        Process             = $process
        RateLimitMultiplier = $RateLimitMultiplier
        Log                 = $log
    }
    $script:Emulator
}

function Stop-TestEmulator {
    if (-not $script:Emulator) { return }
    $process = $script:Emulator.Process
    if (-not $process.HasExited) {
        Stop-Process -Id $process.Id -Force -ErrorAction SilentlyContinue
        $null = $process.WaitForExit(10000)
    }
    Remove-Item -Path "$($script:Emulator.Log).out", "$($script:Emulator.Log).err" -ErrorAction SilentlyContinue
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

function Invoke-TestControl {
    param(
        [Parameter(Mandatory)] [string] $Path,
        [string] $Method = 'Get',
        [object] $Body
    )
    $parameters = @{ Method = $Method; Uri = (Get-TestEmulator).BaseUri + '_emulator/' + $Path.TrimStart('/') }
    if ($null -ne $Body) {
        $parameters.Body = $Body | ConvertTo-Json -Depth 5 -Compress
        $parameters.ContentType = 'application/json'
    }
    Invoke-RestMethod @parameters
}

# Back to the seeded state: two teams with full credits, no characters, ledger, faults or bucket debt.
function Reset-TestEmulator { $null = Invoke-TestControl -Path reset -Method Post }

function Get-TestLedger {
    param([string] $Team = 'team_a')
    Invoke-TestControl -Path "teams/$Team/ledger"
}

function Set-TestCredits {
    param([Parameter(Mandatory)] [int] $Credits, [string] $Team = 'team_a')
    $null = Invoke-TestControl -Path "teams/$Team/credits" -Method Put -Body @{ credits = $Credits }
}

# Reads a character as the emulator holds it (any team, deleted included), spending no rate-limit budget.
function Read-TestCharacter {
    param([Parameter(Mandatory)] [string] $Id)
    Invoke-TestControl -Path "characters/$Id"
}

# Ends a running synthesis now: reviewing, or failed with an error message.
function Complete-TestCharacter {
    param(
        [Parameter(Mandatory, ValueFromPipeline, ValueFromPipelineByPropertyName)] [string] $Id,
        [ValidateSet('reviewing', 'failed')] [string] $Outcome = 'reviewing',
        [string] $ErrorMessage
    )
    process {
        $body = @{ outcome = $Outcome }
        if ($ErrorMessage) { $body.error_message = $ErrorMessage }
        $null = Invoke-TestControl -Path "characters/$Id/finish" -Method Post -Body $body
    }
}

<#
    Adds a fault rule: -Count for the next N requests of a route, or -Rate for a share of them.
    Kinds: error_500, rate_limit (-RetryAfterSeconds), delay (-DelayMs), drop_after_commit.
#>
function Add-TestFault {
    param(
        [Parameter(Mandatory)] [string] $Route,
        [Parameter(Mandatory)] [ValidateSet('error_500', 'rate_limit', 'delay', 'drop_after_commit')] [string] $Kind,
        [int] $Count,
        [double] $Rate,
        [int] $RetryAfterSeconds,
        [int] $DelayMs
    )
    $body = @{ route = $Route; kind = $Kind }
    if ($PSBoundParameters.ContainsKey('Count')) { $body.count = $Count }
    if ($PSBoundParameters.ContainsKey('Rate')) { $body.rate = $Rate }
    if ($PSBoundParameters.ContainsKey('RetryAfterSeconds')) { $body.retry_after_seconds = $RetryAfterSeconds }
    if ($PSBoundParameters.ContainsKey('DelayMs')) { $body.delay_ms = $DelayMs }
    $null = Invoke-TestControl -Path faults -Method Post -Body $body
}

function Clear-TestFault { $null = Invoke-TestControl -Path faults -Method Delete }

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
                AddParameter('BaseUri', $emulator.BaseUri).AddParameter('RateLimitMultiplier', $emulator.RateLimitMultiplier).AddStatement()
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

Export-ModuleMember -Function * -Variable TeamAKey, TeamBKey
