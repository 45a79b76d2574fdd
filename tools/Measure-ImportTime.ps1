<#
.SYNOPSIS
    Measures a cold Import-Module of the Aurous module: each run in a fresh PowerShell process.

.DESCRIPTION
    Starts a new process (no profile) per run, times Import-Module inside it, and prints name=value lines that can
    be compared run to run:

      import_ms_median, import_ms_min, import_ms_max   the Import-Module call alone, in milliseconds
      import_dependencies_loaded                        module libraries (Aurous.Client, Microsoft.Extensions.*,
                                                        System.Text.Json, ...) loaded by the import; 0 means the
                                                        import stayed lazy
      runs, powershell                                  what was measured

    The process start itself is not counted: it is the same with or without the module.

.EXAMPLE
    dotnet build src/Aurous.PowerShell -c Release
    ./tools/Measure-ImportTime.ps1 -Runs 9

.EXAMPLE
    ./tools/Measure-ImportTime.ps1 -PowerShell powershell.exe   # Windows PowerShell 5.1
#>
[CmdletBinding()]
param(
    # The manifest to import; by default the laid-out module of the version in Directory.Build.props.
    [string] $ManifestPath,

    [ValidateRange(1, 100)]
    [int] $Runs = 7,

    # The PowerShell executable to start for each run; by default the one running this script.
    [string] $PowerShell = (Get-Process -Id $PID).Path
)

Set-StrictMode -Version Latest
$ErrorActionPreference = 'Stop'

$root = Split-Path -Parent $PSScriptRoot
if (-not $ManifestPath) {
    $version = @(Select-Xml -Path (Join-Path $root 'Directory.Build.props') -XPath '//VersionPrefix')[0].Node.InnerText
    $ManifestPath = Join-Path $root "out/Aurous/$version/Aurous.psd1"
}

if (-not (Test-Path $ManifestPath)) {
    throw "$ManifestPath not found: build first (dotnet build src/Aurous.PowerShell -c Release)."
}

$ManifestPath = (Resolve-Path $ManifestPath).Path

# Runs in the child process; its output comes back deserialized.
$probe = {
    param([string] $Manifest)

    $moduleDirectory = Split-Path -Parent $Manifest
    $watch = [System.Diagnostics.Stopwatch]::StartNew()
    Import-Module $Manifest -ErrorAction Stop
    $watch.Stop()

    $loaded = @([AppDomain]::CurrentDomain.GetAssemblies() | Where-Object {
            -not $_.IsDynamic -and $_.Location.StartsWith($moduleDirectory) -and $_.GetName().Name -notlike 'Aurous.PowerShell*'
        })
    [pscustomobject]@{ Milliseconds = $watch.Elapsed.TotalMilliseconds; Loaded = $loaded.Count }
}

$samples = foreach ($run in 1..$Runs) {
    $result = & $PowerShell -NoProfile -NonInteractive -Command $probe -args $ManifestPath
    if ($LASTEXITCODE -ne 0 -or -not $result) {
        throw "Run $run failed (exit code $LASTEXITCODE)."
    }

    $result
}

$times = @($samples | ForEach-Object { [double] $_.Milliseconds } | Sort-Object)
$middle = [int][math]::Floor($times.Count / 2)
$median = if ($times.Count % 2) { $times[$middle] } else { ($times[$middle - 1] + $times[$middle]) / 2 }
$loadedMax = ($samples | ForEach-Object { [int] $_.Loaded } | Measure-Object -Maximum).Maximum

$invariant = [System.Globalization.CultureInfo]::InvariantCulture
'import_ms_median=' + $median.ToString('0.0', $invariant)
'import_ms_min=' + $times[0].ToString('0.0', $invariant)
'import_ms_max=' + $times[-1].ToString('0.0', $invariant)
"import_dependencies_loaded=$loadedMax"
"runs=$Runs"
"powershell=$PowerShell"
