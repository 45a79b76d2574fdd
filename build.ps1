<#
.SYNOPSIS
    Builds, tests, documents and packages the Aurous module.

.DESCRIPTION
    For people with PowerShell (Windows PowerShell 5.1 or PowerShell 7); CI and machines without it use the dotnet
    commands in README.md, which build the same layout and package.

      Build    dotnet build of the solution. Building src/Aurous.PowerShell also lays the module out in
               out/Aurous/<version>/ and writes out/Aurous.<version>.nupkg (build/Module.targets).
      Test     dotnet test of the solution, then the Pester tests (tests/*.Tests.ps1) against the laid-out module.
      Docs     PlatyPS turns docs/*.md into out/help/en-US/Aurous.PowerShell.dll-Help.xml and about_Aurous.help.txt.
      Package  Docs, then Build: the layout and the .nupkg include the help.

    Pester and platyPS are installed for the current user, at pinned versions, when missing.

.EXAMPLE
    ./build.ps1 -Task Package

.EXAMPLE
    ./build.ps1 -Task Build, Test -Configuration Debug
#>
[CmdletBinding()]
param(
    [ValidateSet('Build', 'Test', 'Docs', 'Package')]
    [string[]] $Task = @('Build'),

    [ValidateSet('Debug', 'Release')]
    [string] $Configuration = 'Release'
)

Set-StrictMode -Version Latest
$ErrorActionPreference = 'Stop'
$ProgressPreference = 'SilentlyContinue'

$PlatyPSVersion = '0.14.2'

$Root = $PSScriptRoot
$Solution = Join-Path $Root 'Aurous.PowerShell.sln'
$ModuleProject = Join-Path $Root 'src/Aurous.PowerShell/Aurous.PowerShell.csproj'
$Version = @(Select-Xml -Path (Join-Path $Root 'Directory.Build.props') -XPath '//VersionPrefix')[0].Node.InnerText
$LayoutDirectory = Join-Path $Root "out/Aurous/$Version"
$HelpDirectory = Join-Path $Root 'out/help/en-US'
$PackagePath = Join-Path $Root "out/Aurous.$Version.nupkg"

function Invoke-Dotnet {
    & dotnet @args
    if ($LASTEXITCODE -ne 0) {
        throw "dotnet $($args -join ' ') failed with exit code $LASTEXITCODE."
    }
}

# Installs a pinned version for the current user when it is missing, then imports exactly that version.
function Import-PinnedModule([string] $Name, [string] $RequiredVersion) {
    if (-not (Get-Module -ListAvailable -Name $Name | Where-Object { $_.Version -eq [version] $RequiredVersion })) {
        Write-Host "Installing $Name $RequiredVersion for the current user"
        # -SkipPublisherCheck: Windows ships Pester 3.4 signed by another certificate, which blocks the upgrade.
        Install-Module -Name $Name -RequiredVersion $RequiredVersion -Repository PSGallery -Scope CurrentUser -Force -SkipPublisherCheck -AllowClobber
    }

    Import-Module -Name $Name -RequiredVersion $RequiredVersion -Force
}

function Invoke-Build {
    Invoke-Dotnet build $Solution -c $Configuration
    Write-Host "Module: $LayoutDirectory"
}

# Pester comes from the NuGet registry (build/TestTools.proj pins it), so testing needs no PowerShell Gallery.
function Import-Pester {
    $project = Join-Path $Root 'build/TestTools.proj'
    $version = (Select-Xml -Path $project -XPath '//PackageDownload[@Include="Pester"]').Node.Version.Trim('[', ']')
    $available = Get-Module -ListAvailable -Name Pester | Where-Object { $_.Version -eq [version] $version } | Select-Object -First 1
    if (-not $available) {
        Invoke-Dotnet restore $project --verbosity quiet
        $packages = ((& dotnet nuget locals global-packages --list) -replace '^global-packages:\s*', '').Trim()
        $available = Join-Path $packages "pester/$version/tools/Pester.psd1"
        if (-not (Test-Path $available)) {
            throw "Pester $version was restored but is not at $available; check 'dotnet nuget locals global-packages --list'."
        }
    }

    Import-Module $available -Force -ErrorAction Stop
}

# Sums the TRX files dotnet test wrote, so the closing line counts every xunit test.
function Get-XunitCounts([string] $Directory) {
    $counts = [ordered]@{ Passed = 0; Failed = 0; Skipped = 0 }
    foreach ($trx in Get-ChildItem -Path $Directory -Filter '*.trx' -Recurse -ErrorAction SilentlyContinue) {
        $counters = ([xml](Get-Content -Raw $trx.FullName)).TestRun.ResultSummary.Counters
        $counts.Passed += [int] $counters.passed
        $counts.Failed += [int] $counters.failed + [int] $counters.error + [int] $counters.timeout + [int] $counters.aborted
        $counts.Skipped += [int] $counters.notExecuted
    }
    $counts
}

<#
    Builds, runs every xunit suite, then the Pester suite in this pwsh against the laid-out module, exactly as a user
    imports it, and ends with one line that counts both. A failure anywhere still runs the rest, then fails the task.
#>
function Invoke-Test {
    if ($PSVersionTable.PSEdition -ne 'Core') {
        throw 'The Pester tests need PowerShell 7 (pwsh): run "dotnet tool restore && dotnet pwsh -NoProfile -File build.ps1 -Task Test".'
    }

    Import-Pester
    Invoke-Dotnet build $Solution -c $Configuration

    $results = Join-Path $Root 'out/TestResults'
    if (Test-Path $results) { Remove-Item -Path $results -Recurse -Force }
    & dotnet test $Solution -c $Configuration --no-build --logger trx --results-directory (Join-Path $results 'xunit')
    $xunitExit = $LASTEXITCODE
    $xunit = Get-XunitCounts (Join-Path $results 'xunit')

    $configuration = New-PesterConfiguration
    $configuration.Run.Path = Join-Path $Root 'tests/Pester'
    $configuration.Run.PassThru = $true
    $configuration.Output.Verbosity = 'Detailed'
    $configuration.TestResult.Enabled = $true
    $configuration.TestResult.OutputPath = Join-Path $results 'pester.xml'
    $env:AUROUS_MODULE_MANIFEST = Join-Path $LayoutDirectory 'Aurous.psd1'
    $pester = Invoke-Pester -Configuration $configuration

    $passed = $xunit.Passed + $pester.PassedCount
    $failed = $xunit.Failed + $pester.FailedCount + $pester.FailedBlocksCount + $pester.FailedContainersCount
    $skipped = $xunit.Skipped + $pester.SkippedCount
    Write-Host "xunit: $($xunit.Passed) passed, $($xunit.Failed) failed, $($xunit.Skipped) skipped (dotnet test exit $xunitExit)"
    Write-Host "pester: $($pester.PassedCount) passed, $($pester.FailedCount) failed, $($pester.SkippedCount) skipped"
    Write-Host "total: $passed passed, $failed failed, $skipped skipped"
    if ($failed -gt 0 -or $xunitExit -ne 0 -or $pester.Result -ne 'Passed') {
        throw "Tests failed: $failed failed (dotnet test exit $xunitExit, Pester $($pester.Result))."
    }
}

function Invoke-Docs {
    Import-PinnedModule -Name platyPS -RequiredVersion $PlatyPSVersion
    if (Test-Path $HelpDirectory) {
        Remove-Item -Path $HelpDirectory -Recurse -Force
    }

    $null = New-Item -ItemType Directory -Path $HelpDirectory -Force
    $written = New-ExternalHelp -Path (Join-Path $Root 'docs') -OutputPath $HelpDirectory -Force
    $written | ForEach-Object { Write-Host "Help: $($_.FullName)" }

    foreach ($expected in 'Aurous.PowerShell.dll-Help.xml', 'about_Aurous.help.txt') {
        if (-not (Test-Path (Join-Path $HelpDirectory $expected))) {
            throw "New-ExternalHelp did not write $expected."
        }
    }
}

function Invoke-Package {
    Invoke-Docs
    Invoke-Dotnet build $ModuleProject -c $Configuration
    $manifest = Test-ModuleManifest -Path (Join-Path $LayoutDirectory 'Aurous.psd1')
    if ($manifest.Version -ne [version] $Version) {
        throw "The manifest says $($manifest.Version); Directory.Build.props says $Version."
    }

    Write-Host "Module:  $LayoutDirectory"
    Write-Host "Package: $PackagePath"
}

foreach ($name in $Task) {
    Write-Host "== $name ($Configuration)"
    & "Invoke-$name"
}
