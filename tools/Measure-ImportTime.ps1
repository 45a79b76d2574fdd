<#
.SYNOPSIS
    Measures a cold Import-Module of the Aurous module: each run in a fresh PowerShell process.

.DESCRIPTION
    Starts a new process (no profile) per run, times Import-Module inside it, and prints name=value lines that can
    be compared run to run:

      import_ms_median, import_ms_min, import_ms_max   the Import-Module call alone, in milliseconds
      import_dependencies_loaded                        module libraries (Microsoft.Extensions.*, System.Text.Json,
                                                        ...) loaded by the import; 0 means the import stayed lazy
                                                        (Aurous.Client itself loads, to name its types, and is not
                                                        counted)
      runs, powershell                                  what was measured

    With -Baseline it also imports a module of one empty compiled cmdlet, built for the occasion, in runs interleaved
    with the module's (so both see the same machine load), and adds:

      baseline_import_ms_median                         the one-cmdlet module's median
      import_ratio                                      import_ms_median / baseline_import_ms_median

    The process start itself is not counted: it is the same with or without the module.

.EXAMPLE
    dotnet build src/Aurous.PowerShell -c Release
    ./tools/Measure-ImportTime.ps1 -Runs 9

.EXAMPLE
    ./tools/Measure-ImportTime.ps1 -Runs 15 -Baseline

.EXAMPLE
    ./tools/Measure-ImportTime.ps1 -PowerShell powershell.exe   # Windows PowerShell 5.1
#>
[CmdletBinding()]
param(
    # The manifest to import; by default the laid-out module of the version in Directory.Build.props.
    [string] $ManifestPath,

    [ValidateRange(1, 100)]
    [int] $Runs = 7,

    # The PowerShell executable to start for each run; by default the one running this script (also as a dotnet tool).
    [string] $PowerShell,

    # Also measure a one-cmdlet compiled module, the floor any binary module starts from.
    [switch] $Baseline
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

# A dotnet tool runs as 'dotnet pwsh.dll': start the same.
$command = if ($PowerShell) { @($PowerShell) }
elseif ([System.IO.Path]::GetFileNameWithoutExtension([Environment]::ProcessPath) -eq 'dotnet') { @([Environment]::ProcessPath, (Join-Path $PSHOME 'pwsh.dll')) }
else { @([Environment]::ProcessPath) }
$PowerShell = $command -join ' '

# Runs in the child process; its output comes back deserialized.
$probe = {
    param([string] $Manifest)

    $moduleDirectory = Split-Path -Parent $Manifest
    $watch = [System.Diagnostics.Stopwatch]::StartNew()
    Import-Module $Manifest -ErrorAction Stop
    $watch.Stop()

    $loaded = @([AppDomain]::CurrentDomain.GetAssemblies() | Where-Object {
            -not $_.IsDynamic -and $_.Location.StartsWith($moduleDirectory) -and $_.GetName().Name -notlike 'Aurous.*'
        })
    [pscustomobject]@{ Milliseconds = $watch.Elapsed.TotalMilliseconds; Loaded = $loaded.Count }
}

# The smallest binary module: one cmdlet that does nothing, compiled here for the running PowerShell.
function New-BaselineModule {
    $directory = Join-Path ([System.IO.Path]::GetTempPath()) "aurous-import-baseline-$PID"
    $null = New-Item -ItemType Directory -Path $directory -Force
    $assembly = Join-Path $directory 'OneCmdlet.dll'
    if (-not (Test-Path $assembly)) {
        Add-Type -OutputAssembly $assembly -TypeDefinition @'
using System.Management.Automation;
[Cmdlet(VerbsCommon.Get, "OneCmdlet")]
public sealed class GetOneCmdletCommand : PSCmdlet { protected override void EndProcessing() => WriteObject(1); }
'@
    }
    $manifest = Join-Path $directory 'OneCmdlet.psd1'
    New-ModuleManifest -Path $manifest -RootModule 'OneCmdlet.dll' -ModuleVersion 1.0.0 -CmdletsToExport 'Get-OneCmdlet' `
        -FunctionsToExport @() -AliasesToExport @() -VariablesToExport @()
    $manifest
}

function Measure-Import([string] $Manifest, [int] $Run) {
    $result = & $command[0] @($command | Select-Object -Skip 1) -NoProfile -NonInteractive -Command $probe -args $Manifest
    if ($LASTEXITCODE -ne 0 -or -not $result) {
        throw "Run $Run of $Manifest failed (exit code $LASTEXITCODE)."
    }

    $result
}

function Get-Median([double[]] $Values) {
    $sorted = @($Values | Sort-Object)
    $middle = [int][math]::Floor($sorted.Count / 2)
    if ($sorted.Count % 2) { $sorted[$middle] } else { ($sorted[$middle - 1] + $sorted[$middle]) / 2 }
}

$baselineManifest = if ($Baseline) { New-BaselineModule }
$samples = [System.Collections.Generic.List[object]]::new()
$baselineSamples = [System.Collections.Generic.List[object]]::new()
try {
    foreach ($run in 1..$Runs) {
        $samples.Add((Measure-Import $ManifestPath $run))
        if ($Baseline) {
            $baselineSamples.Add((Measure-Import $baselineManifest $run))
        }
    }
}
finally {
    if ($baselineManifest) {
        Remove-Item -Recurse -Force -Path (Split-Path -Parent $baselineManifest) -ErrorAction SilentlyContinue
    }
}

$times = @($samples | ForEach-Object { [double] $_.Milliseconds } | Sort-Object)
$median = Get-Median $times
$loadedMax = ($samples | ForEach-Object { [int] $_.Loaded } | Measure-Object -Maximum).Maximum

$invariant = [System.Globalization.CultureInfo]::InvariantCulture
'import_ms_median=' + $median.ToString('0.0', $invariant)
'import_ms_min=' + $times[0].ToString('0.0', $invariant)
'import_ms_max=' + $times[-1].ToString('0.0', $invariant)
"import_dependencies_loaded=$loadedMax"
if ($Baseline) {
    $baselineMedian = Get-Median @($baselineSamples | ForEach-Object { [double] $_.Milliseconds })
    'baseline_import_ms_median=' + $baselineMedian.ToString('0.0', $invariant)
    'import_ratio=' + ($median / $baselineMedian).ToString('0.00', $invariant)
}
"runs=$Runs"
"powershell=$PowerShell"
