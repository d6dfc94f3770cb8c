# Installs shale on Windows from a GitHub release: downloads
# shale-x86_64-pc-windows-msvc.zip, checks its SHA-256 against the release's .sha256
# file, puts shale.exe in a folder and adds that folder to your PATH.
#
#   powershell -ExecutionPolicy Bypass -c "irm https://github.com/OWNER/NAME/releases/latest/download/install.ps1 | iex"
#
# Settings (environment variables, all optional):
#   SHALE_VERSION         a release (1.2.0 or v1.2.0) or `latest` (the default)
#   SHALE_INSTALL_DIR     where to put shale.exe (default: %LOCALAPPDATA%\Programs\shale)
#   SHALE_REPO            the GitHub repository, OWNER/NAME (the release's copy of this
#                         script names its own)
#   SHALE_DOWNLOAD_BASE   the URL (or a local folder) of the release's files, in place of
#                         https://github.com/$SHALE_REPO/releases/download/v$SHALE_VERSION
#   SHALE_NO_MODIFY_PATH  1: leave the user's PATH as it is
# On Windows on Arm, the x86_64 build runs under the system's emulation.

$ErrorActionPreference = 'Stop'
$ProgressPreference = 'SilentlyContinue' # Windows PowerShell downloads slowly with it

$RepoDefault = ""

# Everything runs from here, so that a download cut short (`irm | iex`) runs nothing.
function Install-Shale {
  $repo = if ($env:SHALE_REPO) { $env:SHALE_REPO } else { $RepoDefault }
  $version = if ($env:SHALE_VERSION) { $env:SHALE_VERSION -replace '^v', '' } else { 'latest' }
  if ($version -ne 'latest' -and $version -notmatch '^\d+\.\d+\.\d+') {
    throw "SHALE_VERSION must be a release such as 1.2.0, or latest, not '$version'"
  }
  $target = 'x86_64-pc-windows-msvc'
  $archive = "shale-$target.zip"
  $dir = if ($env:SHALE_INSTALL_DIR) { $env:SHALE_INSTALL_DIR } else { Join-Path $env:LOCALAPPDATA 'Programs\shale' }

  $base = $env:SHALE_DOWNLOAD_BASE
  if (-not $base) {
    if (-not $repo) {
      throw "set SHALE_REPO to shale's GitHub repository (OWNER/NAME), or SHALE_DOWNLOAD_BASE to where its release files are"
    }
    $base = if ($version -eq 'latest') { "https://github.com/$repo/releases/latest/download" } else { "https://github.com/$repo/releases/download/v$version" }
  }
  $base = $base.TrimEnd('/', '\')

  # Windows PowerShell 5.1 may not offer TLS 1.2 by default.
  [Net.ServicePointManager]::SecurityProtocol = [Net.ServicePointManager]::SecurityProtocol -bor [Net.SecurityProtocolType]::Tls12

  $tmp = Join-Path ([IO.Path]::GetTempPath()) ("shale-" + [Guid]::NewGuid())
  New-Item -ItemType Directory -Path $tmp | Out-Null
  try {
    Write-Host "downloading $base/$archive"
    foreach ($name in @($archive, "$archive.sha256")) {
      $to = Join-Path $tmp $name
      try {
        if ($base -match '^[A-Za-z][A-Za-z0-9+.-]*://') {
          Invoke-WebRequest -UseBasicParsing -Uri "$base/$name" -OutFile $to
        } else {
          Copy-Item -LiteralPath (Join-Path $base $name) -Destination $to
        }
      } catch {
        throw "could not download $base/$name (is it a release with a build for Windows? SHALE_VERSION): $($_.Exception.Message)"
      }
    }

    $want = ((Get-Content -Raw -LiteralPath (Join-Path $tmp "$archive.sha256")).Trim() -split '\s+')[0].ToLowerInvariant()
    if ($want -notmatch '^[0-9a-f]{64}$') { throw "$archive.sha256 holds no SHA-256: '$want'" }
    $got = (Get-FileHash -Algorithm SHA256 -LiteralPath (Join-Path $tmp $archive)).Hash.ToLowerInvariant()
    if ($got -ne $want) {
      throw "the SHA-256 of $archive is $got, but $archive.sha256 says ${want}: the download is damaged or not the release's; nothing was installed"
    }

    Expand-Archive -LiteralPath (Join-Path $tmp $archive) -DestinationPath $tmp
    $exe = Join-Path $tmp "shale-$target\shale.exe"
    if (-not (Test-Path -LiteralPath $exe)) { throw "$archive has no shale-$target\shale.exe" }
    New-Item -ItemType Directory -Force -Path $dir | Out-Null
    Copy-Item -Force -LiteralPath $exe -Destination (Join-Path $dir 'shale.exe')
  } finally {
    Remove-Item -Recurse -Force -LiteralPath $tmp -ErrorAction SilentlyContinue
  }

  $installed = & (Join-Path $dir 'shale.exe') --version
  if ($LASTEXITCODE -ne 0) { throw "$dir\shale.exe does not run on this system" }
  Write-Host "installed $installed ($target) as $dir\shale.exe"

  $userPath = [Environment]::GetEnvironmentVariable('Path', 'User')
  $parts = if ($userPath) { $userPath -split ';' } else { @() }
  if ($parts -notcontains $dir) {
    if ($env:SHALE_NO_MODIFY_PATH -eq '1') {
      Write-Host "$dir is not in your PATH: add it, or run $dir\shale.exe"
    } else {
      [Environment]::SetEnvironmentVariable('Path', (@($dir) + $parts | Where-Object { $_ }) -join ';', 'User')
      Write-Host "added $dir to your PATH (new terminals will find shale)"
    }
  }
  if (($env:Path -split ';') -notcontains $dir) { $env:Path = "$dir;$env:Path" }
}

Install-Shale
