#!/usr/bin/perl
# make-mmdb.pl
# Writes ntt's small MaxMind-format test databases from places.json:
#   ntt-test-city.mmdb     GeoLite2-City layout    (record size 28)
#   ntt-test-country.mmdb  GeoLite2-Country layout (record size 24)
#   ntt-test-asn.mmdb      GeoLite2-ASN layout     (record size 24)
# all IPv6 trees with the IPv4 space aliased (::ffff:0:0/96 etc. lead to
# ::/96), the way MaxMind builds its own databases, so both IPv4 and IPv6
# lookups are exercised. The lab lives on documentation and private
# ranges, hence remove_reserved_networks => 0.
#
#   perl make-mmdb.pl places.json OUTPUT-DIRECTORY
#
# Needs Debian's libmaxmind-db-writer-perl. The build epoch comes from
# places.json, not the clock, so the files are the same on every build.
#
# SPDX-License-Identifier: GPL-2.0-or-later
use strict;
use warnings;

use File::Spec;
use JSON::PP;
use MaxMind::DB::Writer::Tree;

die "usage: $0 places.json OUTPUT-DIRECTORY\n" unless @ARGV == 2;
my ($spec_path, $out_dir) = @ARGV;

my $spec = do {
    open my $fh, '<:raw', $spec_path or die "cannot open $spec_path: $!\n";
    local $/;
    JSON::PP->new->utf8->decode(<$fh>);
};

# The types MaxMind's own databases use for each key; anything not listed
# is a string.
my %key_types = (
    city                           => 'map',
    continent                      => 'map',
    country                        => 'map',
    registered_country             => 'map',
    location                       => 'map',
    names                          => 'map',
    subdivisions                   => [ 'array', 'map' ],
    geoname_id                     => 'uint32',
    accuracy_radius                => 'uint16',
    latitude                       => 'double',
    longitude                      => 'double',
    autonomous_system_number       => 'uint32',
);
sub key_type { return $key_types{ $_[0] } // 'utf8_string' }

sub country_record {
    my ($place, $prefix) = @_;
    my $code = $place->{ $prefix } or return;
    return {
        geoname_id => $place->{"${prefix}_geoname_id"},
        iso_code   => $code,
        names      => { en => $place->{"${prefix}_name"} },
    };
}

# What a GeoLite2-Country record holds for a place.
sub country_data {
    my ($place) = @_;
    my %data;
    $data{continent} = {
        code  => $place->{continent},
        names => { en => $place->{continent_name} },
    } if $place->{continent};
    my $country = country_record($place, 'country');
    $data{country} = $country if $country;
    # Registered where it is located, unless said otherwise.
    $data{registered_country} = country_record($place, 'registered_country')
        // $country;
    delete $data{registered_country} unless $data{registered_country};
    return \%data;
}

# A GeoLite2-City record: the country record plus city, subdivision and
# coordinates.
sub city_data {
    my ($place) = @_;
    my $data = country_data($place);
    if ($place->{city}) {
        $data->{city} = {
            geoname_id => $place->{city_geoname_id},
            names      => { en => $place->{city} },
        };
    }
    if ($place->{subdivision}) {
        $data->{subdivisions} = [ {
            geoname_id => $place->{subdivision_geoname_id},
            iso_code   => $place->{subdivision_code},
            names      => { en => $place->{subdivision} },
        } ];
    }
    if (defined $place->{lat}) {
        $data->{location} = {
            accuracy_radius => $place->{accuracy_radius},
            latitude        => $place->{lat},
            longitude       => $place->{lon},
            time_zone       => $place->{time_zone},
        };
    }
    return $data;
}

sub asn_data {
    my ($place) = @_;
    return unless $place->{asn};
    return {
        autonomous_system_number       => $place->{asn},
        autonomous_system_organization => $place->{org},
    };
}

sub write_db {
    my (%args) = @_;
    my $tree = MaxMind::DB::Writer::Tree->new(
        ip_version               => 6,
        record_size              => $args{record_size},
        database_type            => $args{type},
        languages                => ['en'],
        description              => { en => "ntt test fixture: $args{type} layout, lab addresses only" },
        alias_ipv6_to_ipv4       => 1,
        remove_reserved_networks => 0,
        merge_strategy           => 'none',   # a later, smaller network wins
        map_key_type_callback    => \&key_type,
    );
    $tree->_set_build_epoch($spec->{build_epoch});
    for my $place (@{ $spec->{networks} }) {
        my $data = $args{data}->($place) or next;
        next unless %{$data};
        $tree->insert_network($_, $data) for @{ $place->{networks} };
    }
    my $path = File::Spec->catfile($out_dir, $args{file});
    my $tmp  = "$path.tmp";
    open my $fh, '>:raw', $tmp or die "cannot write $tmp: $!\n";
    $tree->write_tree($fh);
    close $fh or die "cannot write $tmp: $!\n";
    rename $tmp, $path or die "cannot rename $tmp to $path: $!\n";
}

write_db(file => 'ntt-test-city.mmdb',    type => 'GeoLite2-City',
         record_size => 28, data => \&city_data);
write_db(file => 'ntt-test-country.mmdb', type => 'GeoLite2-Country',
         record_size => 24, data => \&country_data);
write_db(file => 'ntt-test-asn.mmdb',     type => 'GeoLite2-ASN',
         record_size => 24, data => \&asn_data);
